-- One agency's listings per chapter
-- For the agency whose id is :agency (see `chuanyu agencies`): in each chapter, how many
-- measures list it and how many of those it leads.
SELECT c.number AS chapter,
       c.title AS title,
       count(*) AS listings,
       sum(r.role = 'lead') AS leads
FROM responsibilities r
JOIN measures m ON m.id = r.measure
JOIN chapters c ON c.id = m.chapter
WHERE r.agency = :agency
GROUP BY c.id
ORDER BY c.number;

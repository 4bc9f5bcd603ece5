-- Work per chapter
-- For each chapter: its measures, its listings on each side, and how many different units
-- each side lists in it.
SELECT c.number AS chapter,
       c.title AS title,
       count(DISTINCT m.id) AS measures,
       sum(r.grp = 'chongqing') AS chongqing_listings,
       sum(r.grp IN ('sichuan', 'local')) AS sichuan_listings,
       count(DISTINCT CASE WHEN r.grp = 'chongqing' THEN r.agency END) AS chongqing_units,
       count(DISTINCT CASE WHEN r.grp IN ('sichuan', 'local') THEN r.agency END) AS sichuan_units
FROM chapters c
JOIN measures m ON m.chapter = c.id
JOIN responsibilities r ON r.measure = m.id
GROUP BY c.id
ORDER BY c.document, c.number;

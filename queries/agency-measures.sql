-- Every measure of one agency, with its place in the list
-- For the agency whose id is :agency: each measure it is listed in, the section it stands in,
-- the list it is in, its position there and its role (lead or co).
SELECT m.number AS measure,
       s.number AS section,
       s.title AS section_title,
       r.grp AS list,
       r.position AS position,
       r.role AS role
FROM responsibilities r
JOIN measures m ON m.id = r.measure
LEFT JOIN sections s ON s.id = m.section
WHERE r.agency = :agency
ORDER BY m.document, m.number;

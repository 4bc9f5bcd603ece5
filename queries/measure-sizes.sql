-- How many units each side lists, measure by measure
-- For every measure: the units in the Chongqing list, in the Sichuan list, the city
-- governments, and the Chongqing count less the Sichuan count (where the lists differ in size).
SELECT m.number AS measure,
       sum(r.grp = 'chongqing') AS chongqing,
       sum(r.grp = 'sichuan') AS sichuan,
       sum(r.grp = 'local') AS local,
       sum(r.grp = 'chongqing') - sum(r.grp = 'sichuan') AS difference
FROM measures m
JOIN responsibilities r ON r.measure = m.id
GROUP BY m.id
ORDER BY m.document, m.number;

-- Listings by province and level
-- For each province (joint for the joint body) and level of unit: how many units, how many
-- listings they have, and how many measures they lead.
SELECT coalesce(a.province, 'joint') AS province,
       a.level AS level,
       count(DISTINCT a.id) AS units,
       count(*) AS listings,
       sum(r.role = 'lead') AS leads
FROM responsibilities r
JOIN agencies a ON a.id = r.agency
GROUP BY a.province, a.level
ORDER BY listings DESC, province, level;

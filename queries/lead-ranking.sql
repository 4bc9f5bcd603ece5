-- Agencies by the measures they lead, beside their counterparts
-- Every agency that leads at least one measure, most leads first, with its counterpart and the
-- number of measures the counterpart leads.
SELECT a.name AS agency,
       a.province AS province,
       count(*) AS leads,
       c.name AS counterpart,
       (SELECT count(*) FROM responsibilities rc WHERE rc.agency = c.id AND rc.role = 'lead') AS counterpart_leads
FROM responsibilities r
JOIN agencies a ON a.id = r.agency
LEFT JOIN agencies c ON c.id = a.counterpart
WHERE r.role = 'lead'
GROUP BY a.id
ORDER BY leads DESC, a.id;

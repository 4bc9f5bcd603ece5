-- The two leads of each measure, side by side
-- For every measure with both province lists: the first-listed Chongqing unit, the first-listed
-- Sichuan unit, and whether the catalogue declares them counterparts (1) or not (0).
SELECT m.number AS measure,
       cq.name AS chongqing_lead,
       sc.name AS sichuan_lead,
       cq.counterpart IS sc.id AS counterparts
FROM measures m
JOIN responsibilities rc ON rc.measure = m.id AND rc.grp = 'chongqing' AND rc.role = 'lead'
JOIN agencies cq ON cq.id = rc.agency
JOIN responsibilities rs ON rs.measure = m.id AND rs.grp = 'sichuan' AND rs.role = 'lead'
JOIN agencies sc ON sc.id = rs.agency
ORDER BY m.document, m.number;

-- Texts holding a word, of any length
-- Measures, chapter titles and section titles whose text holds :text (Latin letters in any
-- case), in the document's order, as `chuanyu search` finds them: among the texts that hold
-- all of its trigrams (the trigram index) for three characters or more, else among them all.
WITH RECURSIVE trigrams(position, expression) AS (
    SELECT 1, '"' || replace(substr(:text, 1, 3), '"', '""') || '"'
    UNION ALL
    SELECT position + 1, expression || ' AND "' || replace(substr(:text, position + 1, 3), '"', '""') || '"'
    FROM trigrams
    WHERE position + 3 <= length(:text)
),
candidates(id) AS (
    SELECT rowid FROM texts_fts
    WHERE texts_fts MATCH (SELECT expression FROM trigrams ORDER BY position DESC LIMIT 1) AND length(:text) >= 3
    UNION ALL
    SELECT id FROM texts WHERE length(:text) < 3
)
SELECT t.document, t.kind, t.number, t.chapter, t.section, t.text
FROM texts t
WHERE t.id IN candidates
  AND t.text LIKE '%' || replace(replace(replace(:text, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'
ORDER BY t.id;

"""The questions chuanyu answers, a module each: each a function from a read-only connection to a
Result. `common` holds what they share (filters on measures, a measure's units, names as shown)."""

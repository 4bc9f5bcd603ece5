"""Agency names as people type them -> one agency id.

In order: the exact id, name, full name or alias; the same after NFKC normalisation; a unique
substring; then a rapidfuzz score. A near tie is never settled silently. Abbreviations that skip
characters (发改委, 经信委) come from aliases, not from fuzzy scores.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Ambiguous, NotFound

#: Best fuzzy score (0-100) that still names an agency, and how close a second one may come.
ACCEPT_SCORE = 70.0
TIE_MARGIN = 5.0
#: Fuzzy scores worth suggesting after "did you mean".
SUGGEST_SCORE = 40.0
_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "（": "(", "）": ")"})


@dataclass(frozen=True, order=True)
class Candidate:
    """An agency a name may mean, ordered by id."""

    id: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


def normalise(text: str) -> str:
    """Full-width forms to half-width, 〔〕 and 【】 to [], no white space, case folded."""
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return "".join(folded.split()).casefold()


class Directory:
    """Every form under which each agency may be named: id, name, full name, aliases.

    `names`: id -> name; `forms`: (form, id), every form, for the exact and substring stages;
    `spelled`: (form, id), names and full names, for fuzzy scores.
    """

    def __init__(self, names: dict[str, str], forms: list[tuple[str, str]], spelled: list[tuple[str, str]]):
        self.names, self.forms, self.spelled = names, forms, spelled

    @classmethod
    def of(cls, agencies: Iterable[tuple[str, str, str | None]], aliases: Iterable[tuple[str, str]]) -> Directory:
        names: dict[str, str] = {}
        spelled: list[tuple[str, str]] = []
        for agency_id, name, full_name in agencies:
            names[agency_id] = name
            spelled.extend((form, agency_id) for form in (name, full_name) if form)
        forms = [(agency_id, agency_id) for agency_id in names] + spelled + [(alias, agency_id) for agency_id, alias in aliases]
        return cls(names, forms, spelled)

    def candidates(self, ids: Iterable[str]) -> list[Candidate]:
        return sorted({Candidate(i, self.names[i]) for i in ids})

    def resolve(self, query: str) -> str:
        """The one agency `query` names; raises Ambiguous or NotFound."""
        wanted = normalise(query)
        if not wanted:
            raise NotFound(query, [])
        for match in (
            lambda form: form == query,
            lambda form: normalise(form) == wanted,
            lambda form: wanted in normalise(form),
        ):
            found = {agency for form, agency in self.forms if match(form)}
            if len(found) == 1:
                return found.pop()
            if found:
                raise Ambiguous(query, self.candidates(found))
        return self._fuzzy(query, wanted)

    def _fuzzy(self, query: str, wanted: str) -> str:
        from rapidfuzz import fuzz

        best: dict[str, float] = {}
        # short aliases (市财政局) would score well against any city's bureau (北京市财政局)
        for form, agency in self.spelled:
            score = fuzz.ratio(wanted, normalise(form))
            best[agency] = max(best.get(agency, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        top_id, top_score = ranked[0]
        if top_score >= ACCEPT_SCORE:
            close = [agency for agency, score in ranked if score >= top_score - TIE_MARGIN]
            if len(close) == 1:
                return top_id
            raise Ambiguous(query, self.candidates(close))
        suggestions = [agency for agency, score in ranked[:3] if score >= SUGGEST_SCORE]
        raise NotFound(query, [Candidate(i, self.names[i]) for i in suggestions])

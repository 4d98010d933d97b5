"""Case codes: ``<municipality prefix>-<year>-<sequence>``, never from names.

"Each case should be given a unique ID number so that confidentiality can be
ensured when discussing the case with people other than those involved."
"""

from __future__ import annotations

import unicodedata

from cpkit.errors import FieldProblem

# Prefixes of the municipalities cpkit is used in; others take their first letters.
PREFIXES = {
    "prishtine": "PR", "pristina": "PR", "prishtina": "PR", "prizren": "PZ",
    "ferizaj": "FE", "urosevac": "FE", "gjakove": "GJ", "gjakova": "GJ", "peje": "PE",
    "peja": "PE", "mitrovice": "MI", "mitrovica": "MI", "gjilan": "GL", "gjilani": "GL",
    "gracanice": "GR", "gracanica": "GR", "podujeve": "PO", "vushtrri": "VU",
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()


def prefix(municipality: str | None) -> str:
    """The code prefix of a municipality (``XX`` when none is recorded)."""
    folded = _fold(municipality or "")
    if not folded:
        return "XX"
    return PREFIXES.get(folded, folded[:2].upper())


def case_code(municipality: str | None, year: int, sequence: int) -> str:
    return f"{prefix(municipality)}-{year}-{sequence:04d}"


DEMO_PREFIX = "DEMO-"  # the demo's own code namespace: no real case may use it


def reserved_code_problems(codes: list[str | None], action: str) -> list[FieldProblem]:
    """Codes in the demo's namespace, refused for any write but the demo's own, so a
    demo can never replace a real case nor a real case hide among the demo's."""
    if action == "demo":
        return []
    return [FieldProblem("case_id", f"codes starting {DEMO_PREFIX} are reserved for the "
                         "fictional cases of `cpkit demo`", code)
            for code in codes if (code or "").upper().startswith(DEMO_PREFIX)]

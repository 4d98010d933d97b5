"""Case codes: ``<municipality prefix>-<year>-<sequence>``, never from names.

"Each case should be given a unique ID number so that confidentiality can be
ensured when discussing the case with people other than those involved."
"""

from __future__ import annotations

import unicodedata

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

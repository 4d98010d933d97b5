"""A child as blind-index tokens: keyed hashes that can be compared, never read back.

The store keeps one token per name part (its phonetic key), plus the birth date, year
and sex: a handful of rows per case, so writes stay fast.  Typos are the searcher's
work: a probe's name part also gives the tokens of every spelling one typing error away
(a letter left out, added, changed, or two neighbours swapped), so a stored part within
one error is found by an exact token lookup.  Short parts (under four letters) get no
such variants: "Ana" and "Ara" are two names.

The key is derived from the identity key, so the tokens are as secret as the names and
change when ``cpkit rotate-key`` changes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field

from cpkit.matching.normalise import name_parts

TOKEN_CHARS = 32  # 128 bits of the HMAC, hex
FUZZY_MIN = 4


def index_key(identity_secret: bytes) -> bytes:
    """The blind-index key, derived from (and kept with) the identity key."""
    return hmac.new(identity_secret, b"cpkit-blind-index/1", hashlib.sha256).digest()


def _token(key: bytes, kind: str, value: str) -> str:
    # hmac.digest: the same HMAC-SHA256 in one call (no HMAC object per token).
    return hmac.digest(key, f"{kind}\0{value}".encode(), "sha256").hex()[:TOKEN_CHARS]


# Every letter a phonetic key can hold (normalise maps q, w and y away).
ALPHABET = "abcdefghijklmnoprstuvxz"


def one_error_away(part: str) -> set[str]:
    """Every spelling one typing error from ``part`` (Damerau distance 1), not ``part``."""
    if len(part) < FUZZY_MIN:
        return set()
    out = {part[:i] + part[i + 1:] for i in range(len(part))}
    out |= {part[:i] + part[i + 1] + part[i] + part[i + 2:] for i in range(len(part) - 1)}
    for i in range(len(part) + 1):
        out |= {part[:i] + ch + part[i:] for ch in ALPHABET}
    for i in range(len(part)):
        out |= {part[:i] + ch + part[i + 1:] for ch in ALPHABET}
    out.discard(part)
    return out


@dataclass
class ChildTokens:
    """The tokens of one child: each name part's token with, for a probe, the tokens of
    its one-error spellings (empty for a stored child), so scoring pairs parts one to one."""

    parts: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    born: str | None = None
    year: str | None = None
    sex: str | None = None

    def rows(self) -> list[tuple[int, str, str]]:
        """(part number, kind, token) rows for the store's index table."""
        out = []
        for number, (exact, _variants) in enumerate(self.parts):
            out.append((number, "name", exact))
        for kind in ("born", "year", "sex"):
            token = getattr(self, kind)
            if token:
                out.append((-1, kind, token))
        return out

    @classmethod
    def from_rows(cls, rows: list[tuple[int, str, str]]) -> ChildTokens:
        exact: dict[int, str] = {}
        found = cls()
        for number, kind, token in rows:
            if kind == "name":
                exact[number] = token
            else:
                setattr(found, kind, token)
        found.parts = [(exact[n], frozenset()) for n in sorted(exact)]
        return found

    def lookup_tokens(self) -> set[str]:
        """What to search the index for: every name token of this child, and of its
        one-error spellings."""
        return {t for exact, variants in self.parts for t in (exact, *variants)}


def child_tokens(key: bytes, given_name: str | None, family_name: str | None,
                 date_of_birth: dt.date | None = None, year_of_birth: int | None = None,
                 sex: str | None = None, *, probe: bool = False) -> ChildTokens:
    """The tokens of a child: a stored one, or (``probe``) one intake is looking for,
    with the tokens of its names' one-error spellings."""
    parts = [(_token(key, "name", p),
              frozenset(_token(key, "name", v) for v in one_error_away(p)) if probe
              else frozenset())
             for p in name_parts(given_name, family_name)]
    year = year_of_birth or (date_of_birth.year if date_of_birth else None)
    return ChildTokens(
        parts=parts,
        born=_token(key, "born", date_of_birth.isoformat()) if date_of_birth else None,
        year=_token(key, "year", str(year)) if year else None,
        sex=_token(key, "sex", sex) if sex and sex not in ("unknown", "other") else None,
    )

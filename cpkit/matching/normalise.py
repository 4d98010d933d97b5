"""Names made comparable across Albanian and Serbian, Latin and Cyrillic, and spellings.

Why these steps: the same child is "Xhemajli" at the school (Albanian) and "Džemajlji"
or "Џемајљи" at the police station (Serbian); "Ëndrina" loses her diaeresis on a phone
keyboard; "Ana-Maria Krasniqi" is "Krasniqi Anamaria" on a form that asks the family
name first.  The phonetic key maps the sounds the two orthographies write differently
to one letter (Albanian ç/q and Serbian č/ć; xh and dž; gj and đ; sh and š; ...), the
way they are typed without diacritics too, and drops what is spelling only (doubled
letters, the Serbian glide in "Marija").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}

# Longest first: each sound to one letter, the way a keyboard without diacritics writes
# it too ("Živković" is often typed "Zivkovic"), so ç/č/ć/q/c share one key, and so on.
_SOUNDS = (
    ("dzh", "x"), ("xh", "x"), ("dž", "x"), ("dz", "x"), ("gj", "g"), ("dj", "g"),
    ("đ", "g"), ("ç", "c"), ("č", "c"), ("ć", "c"), ("ch", "c"), ("q", "c"), ("tj", "c"),
    ("sh", "s"), ("š", "s"), ("zh", "z"), ("ž", "z"), ("dh", "d"), ("th", "t"),
    ("nj", "n"), ("lj", "l"), ("ll", "l"), ("rr", "r"), ("ë", "e"), ("y", "i"), ("w", "v"),
    ("ph", "f"),
)
_SOUND_PATTERN = re.compile("|".join(re.escape(s) for s, _ in _SOUNDS))
_SOUND_MAP = dict(_SOUNDS)
_GLIDE = re.compile(r"ij(?=[aeou])")  # Marija / Maria, Danijel / Daniel
_REPEATS = re.compile(r"(.)\1+")
_WORDS = re.compile(r"[\s.,/]+")
_HYPHENS = re.compile(r"[\-‐‑–—'’]+")


def to_latin(text: str) -> str:
    """Serbian Cyrillic letters to Latin (case folded first)."""
    return "".join(_CYRILLIC.get(ch, ch) for ch in text.casefold())


@lru_cache(maxsize=4096)
def phonetic(part: str) -> str:
    """The phonetic key of one name part: same sound, same key, in either language.

    Kept for the parts met last (a pure function of its text): a caseload repeats its
    given and family names, and an import works out the key of every child's."""
    text = _SOUND_PATTERN.sub(lambda m: _SOUND_MAP[m.group(0)], to_latin(part))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if ch.isalpha() and not unicodedata.combining(ch))
    text = _GLIDE.sub("i", text)
    return _REPEATS.sub(r"\1", text)


def name_parts(*names: str | None) -> list[str]:
    """The phonetic keys of every part of the given names (hyphens and spaces split),
    plus each hyphenated word joined ("Ana-Maria" also as "Anamaria")."""
    parts: list[str] = []
    for name in names:
        for word in _WORDS.split(name or ""):
            pieces = [p for p in _HYPHENS.split(word) if p]
            parts.extend(phonetic(p) for p in pieces)
            if len(pieces) > 1:
                parts.append(phonetic("".join(pieces)))
    return [p for p in dict.fromkeys(parts) if p]

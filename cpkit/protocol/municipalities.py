"""Kosovo's municipalities, where the protocol's Task Forces sit, by their Albanian and
Serbian names (both official).

Why: ``municipality`` is free text, written in either language ("Graçanicë",
"Gračanica", "Prishtina").  The heading of a report or a form names it in the reader's
language, and the redactor must recognise it in every form to keep it: the
municipality identifies no child, so "CSW Gračanica" stays in a redacted invitation
whose case was recorded in "Graçanicë".  A name not in the table is shown as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from cpkit.i18n import current_lang
from cpkit.i18n.transliterate import latin_to_cyrillic

# (Albanian, Serbian Latin), official names.
MUNICIPALITIES: tuple[tuple[str, str], ...] = (
    ("Deçan", "Dečani"), ("Dragash", "Dragaš"), ("Ferizaj", "Uroševac"),
    ("Fushë Kosovë", "Kosovo Polje"), ("Gjakovë", "Đakovica"), ("Gjilan", "Gnjilane"),
    ("Drenas", "Glogovac"), ("Graçanicë", "Gračanica"), ("Hani i Elezit", "Elez Han"),
    ("Istog", "Istok"), ("Junik", "Junik"), ("Kaçanik", "Kačanik"),
    ("Kamenicë", "Kamenica"), ("Klinë", "Klina"), ("Kllokot", "Klokot"),
    ("Leposaviq", "Leposavić"), ("Lipjan", "Lipljan"), ("Malishevë", "Mališevo"),
    ("Mamushë", "Mamuša"), ("Mitrovicë e Jugut", "Južna Mitrovica"),
    ("Mitrovicë e Veriut", "Severna Mitrovica"), ("Mitrovicë", "Mitrovica"),
    ("Novobërdë", "Novo Brdo"), ("Obiliq", "Obilić"), ("Partesh", "Parteš"),
    ("Pejë", "Peć"), ("Podujevë", "Podujevo"), ("Prishtinë", "Priština"),
    ("Prizren", "Prizren"), ("Rahovec", "Orahovac"), ("Ranillug", "Ranilug"),
    ("Shtërpcë", "Štrpce"), ("Shtime", "Štimlje"), ("Skënderaj", "Srbica"),
    ("Suharekë", "Suva Reka"), ("Viti", "Vitina"), ("Vushtrri", "Vučitrn"),
    ("Zubin Potok", "Zubin Potok"), ("Zveçan", "Zvečan"),
)


def fold(text: str) -> str:
    """``text`` lower-cased without diacritics or spacing (Graçanicë -> gracanice)."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "dj").replace("Đ", "Dj"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s\-]+", " ", text).strip()


def _definite(albanian: str) -> str:
    """The Albanian definite form English writing uses too (Prishtinë -> Prishtina)."""
    return albanian[:-1] + "a" if albanian.endswith("ë") else albanian


@cache
def _index() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for albanian, serbian in MUNICIPALITIES:
        for form in (albanian, _definite(albanian), serbian, latin_to_cyrillic(serbian)):
            out.setdefault(fold(form), (albanian, serbian))
    return out


def find(municipality: str | None) -> tuple[str, str] | None:
    """The (Albanian, Serbian) names of the municipality written ``municipality``."""
    return _index().get(fold(municipality or "")) if municipality else None


def name(municipality: str | None, lang: str | None = None) -> str:
    """The municipality's name in ``lang`` (Albanian in ``sq``, Serbian in ``sr`` and
    ``sr-Cyrl``); as written in English or when it is not a known municipality."""
    if not municipality:
        return ""
    lang = lang or current_lang()
    names = find(municipality)
    if names is None or lang == "en":
        return municipality
    if lang == "sq":
        return names[0]
    return latin_to_cyrillic(names[1]) if lang == "sr-Cyrl" else names[1]


def forms(municipality: str | None) -> set[str]:
    """Every way the municipality is written (folded, see :func:`fold`): as recorded,
    in Albanian (both forms), in Serbian Latin and Cyrillic."""
    if not municipality:
        return set()
    out = {fold(municipality)}
    names = find(municipality)
    if names:
        albanian, serbian = names
        out |= {fold(albanian), fold(_definite(albanian)), fold(serbian),
                fold(latin_to_cyrillic(serbian))}
    return out

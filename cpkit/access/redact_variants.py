"""More ways a child's identity is written in free text, for the one redactor
(:func:`cpkit.access.redact.identity_pattern` adds these).

Why: "ana", "Anës", "Анa", "Rr. Çamëria", "11 prill 2019" or a bare "2019-04-11" all
name the child as surely as "Ana Krasniqi" does.  Each function returns regular
expression alternatives (case-insensitive where that is the point); over-redaction of
a common word that shares a name's stem is the accepted price.

- names: any letter case; Albanian and Serbian case endings (:data:`ENDINGS`, after
  the name or its stem without the final vowel: Ana -> Anës, Anën; Milica -> Milice,
  Milicom; Drin -> Drinit, but not "drinks"), the other script (Latin <-> Serbian
  Cyrillic, Albanian letters as Serbian writes them);
- the address: whole, each comma part, the street without its number, and a street
  name of five or more letters alone (never the municipality, written in either
  language: :mod:`cpkit.protocol.municipalities`, nor generic words);
- the birth date in every common written form: ISO, d.m.yyyy, dd.mm.yyyy, d/m/yyyy,
  dd-mm-yyyy, yyyy/mm/dd, d.m.yy, and with the month's name in English, Albanian,
  Serbian Latin and Cyrillic ("11 April 2019", "April 11, 2019", "11 prill 2019",
  "11. april 2019.", "11. април 2019").
"""

from __future__ import annotations

import datetime as dt
import re

from cpkit.i18n.transliterate import latin_to_cyrillic
from cpkit.protocol import municipalities

VOWELS = "aeëiouy" + "аеиоу"
MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"],
    "sq": ["janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht",
           "shtator", "tetor", "nëntor", "dhjetor"],
    "sr": ["januar", "februar", "mart", "april", "maj", "jun", "jul", "avgust",
           "septemb", "oktob", "novemb", "decemb"],
}
GENERIC_ADDRESS_WORDS = {"rruga", "rr", "ulica", "ul", "street", "st", "lagjja", "lagja",
                         "naselje", "bulevardi", "bulevar", "nr", "hyrja", "kati", "banesa",
                         "pranë", "blv"}
_CYRILLIC_TO_LATIN = {"љ": "lj", "њ": "nj", "џ": "dž", "Љ": "Lj", "Њ": "Nj", "Џ": "Dž",
                      "а": "a", "б": "b", "ц": "c", "ч": "č", "ћ": "ć", "д": "d", "ђ": "đ",
                      "е": "e", "ф": "f", "г": "g", "х": "h", "и": "i", "ј": "j", "к": "k",
                      "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
                      "ш": "š", "т": "t", "у": "u", "в": "v", "з": "z", "ж": "ž"}
_CYRILLIC_TO_LATIN.update({k.upper(): v.capitalize() for k, v in list(_CYRILLIC_TO_LATIN.items())
                           if k.islower()})


def cyrillic_to_latin(text: str) -> str:
    return "".join(_CYRILLIC_TO_LATIN.get(c, c) for c in text)


# Albanian spelling as Serbian Latin writes it (so that it can be put in Cyrillic):
# Çelaj -> Čelaj -> Челај, Ëndrina -> Endrina -> Ендрина, Xhemajli -> Džemajli.
_ALBANIAN = [("xh", "dž"), ("zh", "ž"), ("sh", "š"), ("gj", "đ"), ("dh", "d"), ("th", "t"),
             ("ll", "l"), ("rr", "r"), ("ç", "č"), ("ë", "e"), ("q", "ć"), ("x", "dz"),
             ("y", "i")]


def _albanian_as_serbian(token: str) -> str:
    out = token
    for albanian, serbian in _ALBANIAN:
        out = out.replace(albanian, serbian).replace(albanian.capitalize(),
                                                     serbian.capitalize())
        out = out.replace(albanian.upper(), serbian.upper())
    return out


def _scripts(token: str) -> set[str]:
    serbian = _albanian_as_serbian(token)
    return {token, serbian, latin_to_cyrillic(token), latin_to_cyrillic(serbian),
            cyrillic_to_latin(token)}


# Case endings a name takes in Albanian (Drinit, Anës, Çelajve) and Serbian (Milice,
# Milicom, Jovanovića, Jovanovićem): only these, so "drinks" is not "Drin".
ENDINGS = ["i", "it", "in", "a", "ës", "ën", "ët", "ëve", "s", "t", "n", "e", "es", "en",
           "et", "ve", "ja", "je", "së", "u", "ut", "un", "o", "om", "em", "ima", "ama",
           "ov", "ova", "ovi", "ina", "ine", "ini"]
_ENDINGS = "|".join(sorted({re.escape(e) for ending in ENDINGS
                            for e in (ending, latin_to_cyrillic(ending))},
                           key=len, reverse=True))


def name_parts(names: list[str | None]) -> list[str]:
    """Every name token in any case, inflected, in both scripts."""
    parts = []
    for name in names:
        for token in re.split(r"[\s\-]+", name or ""):
            token = token.strip(".,'\"")
            if len(token) < 2:
                continue
            for form in _scripts(token):
                parts.append(rf"(?<!\w)(?i:{re.escape(form)}(?:{_ENDINGS})?)(?!\w)")
                if len(form) >= 3 and form[-1].lower() in VOWELS:
                    stem = re.escape(form[:-1])
                    parts.append(rf"(?<!\w)(?i:{stem}(?:{_ENDINGS}))(?!\w)")
    return parts


def address_parts(address: str | None, municipality: str | None) -> list[str]:
    """The address, each part of it, and its street name."""
    if not address or len(address.strip()) < 4:
        return []
    kept = municipalities.forms(municipality)  # in either language, never withheld
    kept |= {w for form in kept for w in form.split()}
    skip = {w.lower() for w in re.findall(r"\w+", municipality or "")} | GENERIC_ADDRESS_WORDS
    pieces = {address.strip()}
    for chunk in address.split(","):
        chunk = chunk.strip().strip('"')
        if len(chunk) >= 4:
            pieces.add(chunk)
            street = re.sub(r"\s*\b(?:nr\.?|no\.?|br\.?)?\s*\d+\w*$", "", chunk).strip()
            if len(street) >= 4:
                pieces.add(street)
    words = {w for w in re.findall(r"[^\W\d_]{5,}", address)
             if w.lower() not in skip and municipalities.fold(w) not in kept}
    parts = [re.escape(p) for p in pieces
             if p.lower() not in skip and municipalities.fold(p) not in kept]
    parts += [rf"(?<!\w){re.escape(w)}(?!\w)" for w in words]
    return [f"(?i:{p})" for p in parts]


def date_parts(day: dt.date | None) -> list[str]:
    """The date in the common numeric and written forms."""
    if day is None:
        return []
    d, m, y = day.day, day.month, day.year
    numeric = {day.isoformat(), f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d}. {m}. {y}",
               f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d:02d}-{m:02d}-{y}",
               f"{y}/{m:02d}/{d:02d}", f"{d:02d}.{m:02d}.{y % 100:02d}",
               f"{d}.{m}.{y % 100:02d}", f"{y}.{m:02d}.{d:02d}"}
    parts = [rf"(?<![\d.]){re.escape(t)}(?![\d])" for t in numeric]
    months = set()
    for names in MONTHS.values():
        months |= _scripts(names[m - 1])
    month = "(?:" + "|".join(re.escape(n) for n in sorted(months)) + r")\w*"
    parts.append(rf"(?i:(?<!\d)0?{d}\.?\s+{month}\.?,?\s+{y}\.?)")
    parts.append(rf"(?i:{month}\.?\s+0?{d}(?:st|nd|rd|th)?,?\s+{y})")
    return parts

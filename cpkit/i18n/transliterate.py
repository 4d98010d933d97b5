"""Serbian Latin -> Cyrillic, for the ``sr-Cyrl`` catalog (UI text only, never case data).

Serbian has one-to-one scripts except for three Latin digraphs (``lj`` -> ``љ``, ``nj`` ->
``њ``, ``dž`` -> ``џ``), which are read first, then single letters.  A few words join the
two letters across a prefix (``nadživeti``, ``injekcija``) and are kept apart.

What is not Serbian prose is left exactly as written: placeholders (``{name}``,
``%(count)s``, ``%s``), HTML tags and entities, command-line options (``--all``),
environment variable names (``CPKIT_LANG``), text in backticks, URLs, and a short list of
technical acronyms (PDF, HTML, ...).  Names of people are data and are never passed here.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["latin_to_cyrillic"]

_SINGLE = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е",
    "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м",
    "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "š": "ш", "t": "т", "u": "у",
    "v": "в", "z": "з", "ž": "ж",
}
_SINGLE.update({k.upper(): v.upper() for k, v in list(_SINGLE.items())})

_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}

# Word beginnings (lower case) where the two letters of a digraph belong to different
# parts of the word; the letters are transliterated one by one there.
_SPLIT_PREFIXES = (
    "nadž", "podž", "injek", "konjug", "konjunk", "vanjez", "tanjug",
)

_TECH_ACRONYMS = (
    "PDF", "HTML", "JSON", "CSV", "URL", "ID", "SQL", "UTF-8", "XML", "CLI", "sr-Cyrl", "sr-Latn",
    "UTC", "Voila", "Ctrl-C", "html", "pdf", "Jupyter", "XLSX", "xlsx",
)

PROTECTED = re.compile(
    r"""
      \{[^{}]*\}                                   # {name} placeholders
    | %\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z%]     # %(name)s
    | %[sdifr%]                                    # %s
    | <[^>]*>                                      # HTML tags
    | &[a-zA-Z]+;|&\#\d+;                          # HTML entities
    | `[^`]*`                                      # code in backticks
    | https?://\S+                                 # URLs
    | (?<![\w-])--?[a-zA-Z][\w-]*(?![\w])              # options (-h, --all, -o FILE)
      (?:[ =](?:FILE|CASE|LANG|DATE|PATH|DIR|CODE|NAME|N)\b)?
    | \b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b                # ENV_VARIABLES
    | (['"])cpkit\b[^'"]*\1                         # a quoted cpkit command
    | \bcpkit\b                                    # the program's name
    | \b[A-Z]{2,3}-\d{4}-\d{4}\b                     # case codes (PR-2026-0001)
    | \b(?:sq|sr|en)(?:-(?:Cyrl|Latn))?\b           # language codes
    """
    + "|" + "|".join(rf"\b{re.escape(a)}\b" for a in _TECH_ACRONYMS),
    re.VERBOSE,
)

_WORD = re.compile(r"[^\W\d_]+")


def _word(word: str) -> str:
    lower = word.lower()
    split_until = 0
    for prefix in _SPLIT_PREFIXES:
        if lower.startswith(prefix):
            split_until = len(prefix)
            break
    out = []
    i = 0
    while i < len(word):
        pair = lower[i:i + 2]
        if i + 1 >= split_until and pair in _DIGRAPHS:
            cyr = _DIGRAPHS[pair]
            out.append(cyr.upper() if word[i].isupper() else cyr)
            i += 2
            continue
        out.append(_SINGLE.get(word[i], word[i]))
        i += 1
    return "".join(out)


def _prose(text: str) -> str:
    return _WORD.sub(lambda m: _word(m.group()), text)


def latin_to_cyrillic(text: str) -> str:
    """``text`` (Serbian in Latin script) in Cyrillic, placeholders and markup untouched.

    >>> latin_to_cyrillic("Ljubljana, Njegoš, džep: {name}")
    'Љубљана, Његош, џеп: {name}'
    """
    text = unicodedata.normalize("NFC", text)
    out = []
    last = 0
    for m in PROTECTED.finditer(text):
        out.append(_prose(text[last:m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(_prose(text[last:]))
    return "".join(out)

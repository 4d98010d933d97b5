"""The redacted view of a case: what an agency sees without a grant of identity.

Removed: the child's names, date of birth and address (the ``child`` block keeps
sex, languages, age in years, and the flags the risk rules need: unaccompanied,
disability, in conflict with the law).  Because names also turn up in free text
("Drin (15) received ..."), every text in the case is scrubbed of the child's
given and family names (each part of a hyphenated or double name, with inflected
forms: the name's stem plus up to three letters; the name written together; short
forms of the given name: "Ëndi", "Ani", "Anči"), the initials ("A.M.K.", "AMK"), the
address and the birth date in every common written form (3.4.2012, 03/04/2012,
2012-04-03, 3 April 2012, April 3rd, 2012, and with Albanian and Serbian month
names: 3 prill 2012, 3. aprila 2012., 3. априла 2012.).  This is the one redactor:
the guard's redacted views, every redacted report (the kernel only receives such a
copy) and anything else that withholds identity use it.  The scrubbing is best
effort (over-redacting a word is preferred to leaking): a parent's own first name,
never recorded as such, cannot be found; that is one reason why a redacted case is
still only shown to agencies involved in it.

Separately, ``consent.do_not_disclose`` items whose ``from`` is the viewer's agency
are removed: that is information the child or family asked to keep from that agency.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache, lru_cache

from cpkit.access.redact_variants import address_parts, date_parts, name_parts
from cpkit.i18n import gettext
from cpkit.model import Case
from cpkit.rules.risk import age_years

# Endings of short forms of names in Albanian, Serbian and English notes.
_DIMINUTIVE = r"(?:i|ie|ica|ika|ka|ko|ča|či|ce|ush|usha|ushe|ja)"
_NOT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}|[a-z_]+")
REDACTED_MARK = "redacted"  # top-level key of every redacted copy; such a copy is never saved
KEPT_CHILD_FIELDS = ("sex", "languages", "unaccompanied", "disability", "in_conflict_with_law")
# Compiled identity patterns kept, one per identity (see identity_pattern): enough for
# the cases one dashboard or request works on; a batch reads each case once.
PATTERNS_KEPT = 128


def redact_identity(case: Case, as_of: dt.date | None = None,
                   lang: str | None = None) -> Case:
    """A copy of ``case`` without the child's identity, in the block or in any text.

    ``lang``: the language of the "[withheld]" mark left in the text (default: the
    current one), so a report in Albanian says "[fshehur]".
    """
    as_of = as_of or dt.date.today()
    child = case.child
    pattern = identity_pattern(case)
    document = case.to_document()
    document.pop("child", None)
    if pattern is not None:
        document = _scrub(document, pattern, gettext("[withheld]", lang))
    kept = {f: getattr(child, f) for f in KEPT_CHILD_FIELDS if f in child.model_fields_set}
    age = age_years(child.date_of_birth, as_of)
    if age is not None:
        kept["age_years"] = age  # an extra key: the age, not the birth date
    document["child"] = kept
    document[REDACTED_MARK] = True
    # A valid case's own document with its texts scrubbed: read as a stored one (its
    # values' types are unchanged; anything else is validated), so that a redacted
    # read builds no validator either.
    return Case.from_stored(document)


def is_redacted(case: Case) -> bool:
    """Whether ``case`` is a redacted copy (made by :func:`redact_identity`)."""
    return bool((case.model_extra or {}).get(REDACTED_MARK))


def scrub_text(case: Case, text: str, lang: str | None = None) -> str:
    """``text`` with the child's names, initials, address and birth date withheld."""
    pattern = identity_pattern(case)
    text = unicodedata.normalize("NFC", text)
    return pattern.sub(gettext("[withheld]", lang), text) if pattern else text


def without_withheld(case: Case, agency: str | None) -> Case:
    """A copy of ``case`` without the do-not-disclose items meant to be kept from
    ``agency``."""
    copy = case.model_copy(deep=True)
    if agency:
        kept = [item for item in copy.consent.do_not_disclose if item.from_ != agency]
        if len(kept) != len(copy.consent.do_not_disclose):
            copy.consent.do_not_disclose = kept
    return copy


def identity_pattern(case: Case) -> re.Pattern[str] | None:
    """A regular expression matching the child's identity in text: the names, address
    and birth date in the many ways they are written (:mod:`cpkit.access.redact_variants`)
    plus the short forms of the given name, the initials and the birth date in every
    common written form with month names in every language.

    Compiled once per identity (names, address, municipality, birth date) and kept
    (:data:`PATTERNS_KEPT`, least recently used dropped): compiling it is most of a
    redaction's cost, and the same case is redacted again and again (each click of the
    dashboard's "Render latest", each read of a shared case).  A changed identity is
    another key, so its pattern is built anew.
    """
    child = case.child
    return _identity_pattern(child.given_name, child.family_name, child.address,
                             case.municipality, child.date_of_birth)


@lru_cache(maxsize=PATTERNS_KEPT)
def _identity_pattern(given: str | None, family: str | None, address: str | None,
                      municipality: str | None, born: dt.date | None
                      ) -> re.Pattern[str] | None:
    parts = [*name_parts([given, family]), *address_parts(address, municipality),
             *date_parts(born)]
    parts += _name_parts(given, short_forms=True)
    parts += _name_parts(family, short_forms=False)
    parts += _initials(given, family)
    if born:
        parts += _date_forms(born)
    if not parts:
        return None
    # Longest first, so a full address is removed before its first part.
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _tokens(name: str | None) -> list[str]:
    return [t.strip(".,'\"’") for t in re.split(r"[\s\-‐–]+", _nfc(name or ""))
            if len(t.strip(".,'\"’")) >= 2]


def _name_parts(name: str | None, *, short_forms: bool) -> list[str]:
    """Each part of a name with up to three letters of inflection ("Drinit", "Милице");
    for given names also the short forms a note may use: a capitalised word starting
    with the name's first three letters ("Ëndi" for Ëndrina), month names excepted."""
    parts = []
    for token in _tokens(name):
        stem = token[:-1] if len(token) >= 5 else token
        # The first letter as written (names are capitalised: "Drin", not "drinks"),
        # the rest in any case.
        parts.append(rf"(?<!\w){re.escape(stem[0])}(?i:{re.escape(stem[1:])}\w{{0,3}})(?!\w)")
        if short_forms and len(token) >= 4:
            parts.append(rf"(?<!\w)(?!{_all_month_words()}(?!\w)){re.escape(token[0])}"
                         rf"(?i:{re.escape(token[1:3])}\w{{1,4}})(?!\w)")
        elif short_forms and len(token) == 3:  # Ana: Ani, Anči, Anica, Anushe
            parts.append(rf"(?<!\w){re.escape(token[0])}(?i:{re.escape(token[1])}"
                         rf"\w{{0,2}}{_DIMINUTIVE})(?!\w)")
    tokens = _tokens(name)
    if len(tokens) > 1:  # written together: "Anamaria", "Ana Maria"
        joined = r"[\s\-]?".join(re.escape(t) for t in tokens)
        parts.append(rf"(?<!\w)(?i:{joined}\w{{0,3}})(?!\w)")
    return parts


def _initials(given: str | None, family: str | None) -> list[str]:
    """The child's initials: "A.M.K.", "A.-M. K.", "A. K." and "AMK" as a whole word."""
    letters = [t[0] for t in _tokens(given)] + [t[0] for t in _tokens(family)]
    if len(letters) < 2 or not _tokens(family):
        return []
    dotted = r"\s*-?\s*".join(rf"{re.escape(x)}\." for x in letters)
    plain = "".join(re.escape(x.upper()) for x in letters)
    return [rf"(?<!\w){dotted}", rf"(?<!\w){plain}(?!\w)"]


@cache
def _months(month: int) -> tuple[str, ...]:
    """The month's names in every cpkit language, wide and short, as written in dates:
    from the written-out table (:mod:`cpkit.access.month_names`) while the installed
    Babel is the one it was written from, else asked of Babel once per month.

    Why the table: Babel's locale data for the four languages was a sixth of a
    redacted ``cpkit show`` (an agency member's)."""
    from cpkit.access import month_names
    from cpkit.paths import installed

    if installed("babel", month_names.LIBRARY):
        return month_names.MONTHS[month]
    return _babel_months(month)


def _babel_months(month: int) -> tuple[str, ...]:
    """The month's names in every cpkit language as Babel gives them."""
    from babel import Locale

    names = set()
    for code in ("en", "sq", "sr_Latn", "sr_Cyrl"):
        months = Locale.parse(code).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names.add(months[context][width][month].rstrip(".").lower())
    return tuple(sorted(names, key=lambda name: (-len(name), name)))


def month_names_text() -> str:
    """The text of :mod:`cpkit.access.month_names` from the installed Babel (``python -c
    "from cpkit.access.redact import month_names_text as t; print(t(), end='')" >
    cpkit/access/month_names.py`` after Babel is upgraded)."""
    import babel

    rows = "".join(f"    {month}: {_babel_months(month)!r},\n" for month in range(1, 13))
    return (f'"""The month names of every cpkit language, wide and short, lower case, as '
            f'Babel {babel.__version__}\ngives them (written by '
            '``cpkit.access.redact.month_names_text``; read by the redactor\nwithout '
            'importing Babel).  Generated: do not edit."""\n\n'
            f'LIBRARY = "{babel.__version__}"\nMONTHS = {{\n{rows}}}\n')


@cache
def _all_month_words() -> str:
    """Every month name in every language, as one alternation (not a short form)."""
    return "(?i:" + "|".join(re.escape(n) for m in range(1, 13) for n in _months(m)) + ")"


def _date_forms(day: dt.date) -> list[str]:
    """The birth date as it is written: 3.4.2012, 03/04/2012, 3-4-12, 2012-04-03,
    3 April 2012, April 3rd, 2012, 3. prill 2012, 3. aprila 2012., 3. априла 2012."""
    d, m, y = day.day, day.month, day.year
    dd, mm = rf"0?{d}", rf"0?{m}"
    year = rf"(?:{y}|{y % 100:02d})"
    sep = r"\s*[./-]\s*"
    month = "(?i:" + "|".join(re.escape(n) for n in _months(m)) + r")\w{0,2}\.?"
    ordinal = r"(?:st|nd|rd|th|\.)?"
    return [
        rf"(?<!\d){dd}{sep}{mm}{sep}{year}\.?(?!\d)",             # day first
        rf"(?<!\d){mm}{sep}{dd}{sep}{y}(?!\d)",                   # month first (US)
        rf"(?<!\d){y}{sep}0?{m}{sep}0?{d}(?!\d)",                 # ISO and alike
        rf"(?<!\d){dd}{ordinal}\s*(?:of\s+)?{month}\s*,?\s*{y}\.?(?!\d)",
        rf"(?<![\w]){month}\s+{dd}{ordinal}\s*,?\s*{y}(?!\d)",
    ]


def _scrub(value: object, pattern: re.Pattern[str], mark: str) -> object:
    if isinstance(value, str):
        # a date or a protocol key is never free text, unless it is the birth date
        if _NOT_TEXT.fullmatch(value) and not pattern.fullmatch(value):
            return value
        return pattern.sub(mark, _nfc(value))
    if isinstance(value, list):
        return [_scrub(v, pattern, mark) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern, mark) for k, v in value.items()}
    return value

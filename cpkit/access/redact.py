"""The redacted view of a case: what an agency sees without a grant of identity.

Removed: the child's names, date of birth and address (the ``child`` block keeps
sex, languages, age in years, and the flags the risk rules need: unaccompanied,
disability, in conflict with the law).  Because names also turn up in free text
("Drin (15) received ..."), every text in the case is scrubbed of the child's
given and family names (and their inflected forms: the name's stem plus up to three
letters), the address and the birth date.  The scrubbing is best effort: a parent's
own first name, never recorded as such, cannot be found; that is one reason why a
redacted case is still only shown to agencies involved in it.

Separately, ``consent.do_not_disclose`` items whose ``from`` is the viewer's agency
are removed: that is information the child or family asked to keep from that agency.
"""

from __future__ import annotations

import datetime as dt
import re

from cpkit.i18n import _
from cpkit.model import Case, Child
from cpkit.rules.risk import age_years

_NOT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}|[a-z_]+")
KEPT_CHILD_FIELDS = ("sex", "languages", "unaccompanied", "disability", "in_conflict_with_law")


def redact_identity(case: Case, as_of: dt.date | None = None) -> Case:
    """A copy of ``case`` without the child's identity, in the block or in any text."""
    as_of = as_of or dt.date.today()
    child = case.child
    pattern = identity_pattern(case)
    document = case.to_document()
    document.pop("child", None)
    if pattern is not None:
        document = _scrub(document, pattern, _("[withheld]"))
    kept = {f: getattr(child, f) for f in KEPT_CHILD_FIELDS if f in child.model_fields_set}
    age = age_years(child.date_of_birth, as_of)
    redacted = Case.model_validate(document)
    redacted.child = Child(**kept)
    if age is not None:
        redacted.child.age_years = age  # an extra key: the age, not the birth date
    return redacted


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
    """A regular expression matching the child's names, address and birth date in text."""
    child = case.child
    parts: list[str] = []
    for name in (child.given_name, child.family_name):
        for token in re.split(r"[\s\-]+", name or ""):
            token = token.strip(".,'\"")
            if len(token) < 2:
                continue
            stem = token[:-1] if len(token) >= 5 else token
            # The first letter as written (names are capitalised: "Drin", not "drinks"),
            # the rest in any case, plus up to three letters of inflection ("Drinit").
            parts.append(rf"(?<!\w){re.escape(stem[0])}(?i:{re.escape(stem[1:])}\w{{0,3}})"
                         r"(?!\w)")
    if child.address and len(child.address.strip()) >= 4:
        parts.append("(?i:" + re.escape(child.address.strip()) + ")")
        first = child.address.split(",")[0].strip()
        if len(first) >= 6:
            parts.append("(?i:" + re.escape(first) + ")")
    if child.date_of_birth:
        d = child.date_of_birth
        for text in (d.isoformat(), f"{d.day:02d}.{d.month:02d}.{d.year}",
                     f"{d.day}.{d.month}.{d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}"):
            parts.append(re.escape(text))
    if not parts:
        return None
    # Longest first, so a full address is removed before its first part.
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts))


def _scrub(value: object, pattern: re.Pattern[str], mark: str) -> object:
    if isinstance(value, str):
        if _NOT_TEXT.fullmatch(value):  # a date or a protocol key, never free text
            return value
        return pattern.sub(mark, value)
    if isinstance(value, list):
        return [_scrub(v, pattern, mark) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern, mark) for k, v in value.items()}
    return value

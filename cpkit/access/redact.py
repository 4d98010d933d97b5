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

from cpkit.access.redact_variants import address_parts, date_parts, name_parts
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
    """A regular expression matching the child's names, address and birth date in text
    (in the many ways they are written: :mod:`cpkit.access.redact_variants`)."""
    child = case.child
    parts = [*name_parts([child.given_name, child.family_name]),
             *address_parts(child.address, case.municipality),
             *date_parts(child.date_of_birth)]
    if not parts:
        return None
    # Longest first, so a full address is removed before its first part.
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts))


def _scrub(value: object, pattern: re.Pattern[str], mark: str) -> object:
    if isinstance(value, str):
        # a date or a protocol key is never free text, unless it is the birth date
        if _NOT_TEXT.fullmatch(value) and not pattern.fullmatch(value):
            return value
        return pattern.sub(mark, value)
    if isinstance(value, list):
        return [_scrub(v, pattern, mark) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern, mark) for k, v in value.items()}
    return value

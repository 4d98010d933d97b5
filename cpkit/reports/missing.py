"""A document the case does not have (no closure form for an open case, no care plan,
no minutes without a meeting): the refusal, its words, and the check ``cpkit render``
makes before it imports anything heavy.

The words live here once: :func:`cpkit.reports.context.select_meeting` (on the case
model) and :func:`in_document` (on the stored document, without the model: a fifth of
a second less) both say them.  :func:`in_document` answers only what the document shows
for certain (no closure, no care plan, no meeting held); anything else it leaves to
``select_meeting``.  Nothing here imports the case model or the store.
"""

from __future__ import annotations

import datetime as dt

from cpkit.errors import BadInput


class NoDocument(BadInput):
    """The protocol has no such document for this case (no meeting, not closed ...)."""


def not_closed(code: str) -> NoDocument:
    return NoDocument(f"{code}: the case is not closed; there is no closure form to render")


def no_care_plan(code: str) -> NoDocument:
    return NoDocument(f"{code}: no care plan has been agreed; there is nothing to render")


def no_meeting_held(code: str) -> NoDocument:
    return NoDocument(f"{code}: no meeting (CMR) has been held; there are no minutes")


def in_document(document: dict, kind: str) -> NoDocument | None:
    """The refusal :func:`~cpkit.reports.context.select_meeting` gives for report
    ``kind`` of the case stored as ``document`` where the document alone shows it
    (``None``: the case model decides).  A view of the case (an agency member's, a
    redacted one) only removes things, so what the stored document lacks, every view
    lacks."""
    code = document.get("case_id") or "(new case)"
    if kind == "closure" and document.get("closure") is None:
        return not_closed(code)
    plan = document.get("care_plan") or {}
    if kind == "care-plan" and not (plan.get("agreed_on") or plan.get("actions")):
        return no_care_plan(code)
    if kind == "minutes" and not any(m.get("status") in (None, "held")
                                     for m in document.get("meetings") or ()):
        return no_meeting_held(code)
    return None


def refuse_missing_document(case_id: str, kind: str, *, redact: bool, lang: str,
                            fmt: str, meeting_date: dt.date | None = None,
                            as_of: dt.date | None = None) -> bool:
    """Refuse report ``kind`` of a case that has no such document, before the Guard's
    machinery and the pipeline are imported (``cpkit render``): the case read on the
    lean road (:func:`cpkit.access.lean_read.read_document`) as
    :func:`~cpkit.reports.context.read_for_render` reads it; the stored document asked
    first (:func:`in_document`), then the case model (``select_meeting``).  A refusal
    leaves the audit row the Guard's road leaves (the case was read); a document that
    exists, or minutes of a case with held meetings (read as they stood at their
    meeting), go on to ``read_for_render``, which reads and records the case itself.

    ``True`` when the lean road found the document (the render will most likely go on:
    ``cpkit render`` starts its kernel then), ``False`` when it left the question to
    the Guard's road."""
    if kind == "minutes" and meeting_date is not None:
        return False  # the case as it stood at that meeting decides: the Guard's road
    from cpkit.access.lean_read import read_document

    read = read_document(case_id, "render", redact=redact, announce=False)
    if read is None:
        return False
    try:
        refusal = in_document(read.document, kind)
        if refusal is None and kind == "minutes":
            # A meeting held, as the model's held_meetings counts them (status absent or
            # "held"; no view of the case removes a meeting): the case as it stood at
            # the meeting decides, on the Guard's road, without the model here.
            return True
        if refusal is None:
            from cpkit.reports.context import select_meeting

            case = read.open_case(as_of, lang)
            try:
                select_meeting(case, kind, meeting_date)
            except NoDocument as found:
                refusal = found
        if refusal is not None:
            if not read.record("render", {"kind": kind, "format": fmt}):
                return False  # no audit row left here: the Guard's road reads and refuses
            from cpkit.access.listing import announce_single_user

            announce_single_user(read.principal)
            raise refusal
    finally:
        read.close()
    return True

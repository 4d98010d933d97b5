"""The coming CMRs: for each, who has answered the invitation, who has sent the
progress report, who is late, for the supervisor dashboard and the caseload page.

Why here and without pandas: the caseload page (:mod:`cpkit.forms.landing`) shows the
same table and should not load the dashboard's libraries.  The reports owed come from
the store's open deadline rows (a report sent closes its row); the answers are in the
case documents, read through the access guard for the cases with a coming CMR only
(redacted: the answers name agencies and their representatives, never the child).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cpkit.i18n import _
from cpkit.i18n.formatting import format_date
from cpkit.markup import esc


def coming_cmrs(open_rows: Iterable[dict], as_of: dt.date) -> list[dict]:
    """For each coming CMR (a planned meeting on or after ``as_of``), the agencies whose
    progress report is still owed and those already late, from the open deadline rows
    (a report sent closes its row)."""
    found: dict[tuple[str, dt.date], dict] = {}
    for r in open_rows:
        meeting = r.get("meeting")
        if meeting is None or meeting < as_of:
            continue
        entry = found.setdefault((r["case_id"], meeting), {
            "case_id": r["case_id"], "meeting": meeting, "owing": [], "late": [],
            "invitation_open": False, "case_manager": r.get("case_manager"),
            "answers": [], "unanswered": []})
        if r["kind"] == "progress_report" and r.get("agency"):
            entry["owing"].append(r["agency"])
            if r["due"] < as_of:
                entry["late"].append((r["agency"], (as_of - r["due"]).days))
        elif r["kind"] == "invitation":
            entry["invitation_open"] = True
    return sorted(found.values(), key=lambda e: (e["meeting"], e["case_id"]))


def add_answers(coming: list[dict], cases: Iterable) -> list[dict]:
    """Each entry with the answers to its invitation, from the case (``cases``: the
    cases with a coming CMR): ``answers`` as (agency, answer, substitute) and
    ``unanswered``, the invited agencies that have not answered (the chairing CSW
    aside)."""
    by_code = {c.case_id: c for c in cases}
    for entry in coming:
        case = by_code.get(entry["case_id"])
        meeting = next((m for m in case.meetings if m.date == entry["meeting"]
                        and m.status != "cancelled"), None) if case else None
        if meeting is None:
            continue
        entry["answers"] = [(i.agency, i.answer, i.substitute) for i in meeting.invited
                            if i.agency and i.answer]
        entry["unanswered"] = [i.agency for i in meeting.invited
                               if i.agency and not i.answer and i.agency != "csw"]
    return coming


def load(guard, as_of: dt.date, open_rows: list[dict] | None = None) -> list[dict]:
    """The coming CMRs of the cases ``guard``'s user may list, with their answers."""
    if open_rows is None:
        open_rows = guard.deadline_rows(as_of, overdue_only=False, training=False)
    coming = coming_cmrs(open_rows, as_of)
    codes = sorted({c["case_id"] for c in coming})
    if not codes:
        return coming
    if hasattr(guard, "principal"):  # one audited, redacted read per case shown
        shown = set(guard.visible_ids("show"))
        codes = [c for c in codes if c in shown]
        cases = [r.case for r in guard.records(codes, purpose="show", redact=True)]
    else:
        cases = [r.case for r in guard.records(codes)]
    return add_answers(coming, cases)


def _answer_text(agency: str, answer: str, substitute: str | None) -> str:
    from cpkit import protocol

    text = f"{protocol.label('agency', agency)}: {protocol.label('invitation_answer', answer)}"
    return text + (f" ({substitute})" if answer == "substitute" and substitute else "")


def scroll_region(label: str) -> str:
    """The opening tag of a scrolling table: a named region the keyboard can reach
    (Tab, then the arrow keys scroll it; WCAG 2.1.1), as axe-core requires."""
    return f"<div class='cpkit-scroll' tabindex='0' role='region' aria-label='{esc(label)}'>"


def coming_html(coming: list[dict]) -> str:
    """Each coming CMR: the invitation, who has answered (and how), who has not, which
    agencies still owe their progress report and which are late (in the user's
    language)."""
    from cpkit import protocol

    if not coming:
        return f"<p class='cpkit-note'>{esc(_('No CMR is planned.'))}</p>"
    rows = []
    for c in coming:
        late = dict(c["late"])
        owing = [protocol.label("agency", a) + (" — " + _("{n} days late").format(n=late[a])
                                                if a in late else "") for a in c["owing"]]
        answered = [f"<li data-agency='{esc(a)}' data-answer='{esc(ans)}'>"
                    f"{esc(_answer_text(a, ans, sub))}</li>" for a, ans, sub in c["answers"]]
        if c["unanswered"]:
            names = ", ".join(protocol.label("agency", a) for a in c["unanswered"])
            answered.append(f"<li class='cpkit-unanswered'>"
                            f"{esc(_('Not answered: {agencies}').format(agencies=names))}</li>")
        rows.append(
            f"<tr class='cpkit-coming-row' data-case='{esc(c['case_id'])}'>"
            f"<td class='code'>{esc(c['case_id'])}</td>"
            f"<td class='day'>{esc(format_date(c['meeting'], format='medium'))}</td>"
            f"<td>{esc(_('not yet sent') if c['invitation_open'] else _('sent'))}</td>"
            f"<td class='cpkit-answers'><ul>{''.join(answered)}</ul></td>"
            f"<td class='cpkit-owing'>{'<br>'.join(esc(o) for o in owing) or esc(_('all sent'))}"
            f"</td><td>{esc(c['case_manager'] or '')}</td></tr>")
    heads = [_("code"), _("CMR"), _("invitation"), _("answers"),
             _("progress reports still owed"), _("case manager")]
    return (scroll_region(_("CMRs and their invitations"))
            + "<table class='cpkit-table cpkit-coming'><tr>"
            + "".join(f"<th>{esc(h)}</th>" for h in heads) + "</tr>" + "".join(rows)
            + "</table></div>")

"""The sections of the case file and of the protocol's documents, as HTML strings.

Every function takes a :class:`~cpkit.reports.context.ReportContext` and returns static
HTML: each value from the case passes through ``ctx.text`` (redacted when asked, then
escaped with ``cpkit.markup.esc``), each label through the protocol or ``_()``.  No
script, no widget, no link to the network; the one chart is a PNG inside a ``data:``
URI.  Each section has a stable ``id`` (``minutes-participants``, ``case-wellbeing``
...) that tests and stylesheets rely on.  The notebook only calls these; they are
testable without a kernel.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterable

from cpkit import protocol
from cpkit.i18n import N_
from cpkit.markup import esc
from cpkit.model import Action, Meeting
from cpkit.reports.context import ReportContext
from cpkit.rules.acknowledgements import for_report
from cpkit.rules.deadlines import case_deadlines
from cpkit.rules.deadlines import label as deadline_label
from cpkit.rules.meetings import (
    attendance_problems,
    current_risk,
    invited_agencies,
    next_meeting_date,
)
from cpkit.rules.registry import all_rules
from cpkit.rules.risk import case_risk, child_age

STATUS_LABELS = {"done": N_("done"), "due": N_("due"), "overdue": N_("overdue")}
# The protocol's reminders printed on the invitation: its own sentences, from the CMR
# process in the protocol data (stage, key), never copied here.
INVITATION_NOTES = [("before", "apologies"), ("before", "progress_reports"),
                    ("during", "confidentiality")]
WELLBEING_SCORE = {"met": 3, "partly_met": 2, "not_met": 1, "not_assessed": 0}
WELLBEING_COLOUR = {"met": "#3a7d44", "partly_met": "#d9a21b", "not_met": "#b23a3a",
                    "not_assessed": "#9e9e9e"}


# --- building blocks -------------------------------------------------------------------

def _process_step(stage: str, key: str) -> str:
    """A step of the protocol's CMR process, in its own words (untranslated)."""
    return next(step["text"] for step in protocol.CMR_PROCESS[stage] if step["key"] == key)


def _section(sid: str, title: str, body: str, cls: str = "") -> str:
    """A titled section; ``title`` is escaped here, ``body`` is already safe HTML."""
    classes = " ".join(c for c in ("cpkit-section", cls) if c)
    return (f'<section id="{sid}" class="{classes}">\n<h2>{esc(title)}</h2>\n'
            f"{body}\n</section>")


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "grid",
           empty: str = "", nowrap: Iterable[int] = (), widths: Iterable[int] = ()) -> str:
    """A table of safe HTML cells; ``headers`` are plain text and escaped here.

    Columns in ``nowrap`` hold short values (dates, levels, statuses) never broken
    inside a word.  ``widths`` (percent per column) size a table whose short columns
    must not be squeezed: tables are laid out fixed (see report.css).
    """
    rows = [list(r) for r in rows]
    if not rows and empty:
        return f'<p class="empty">{esc(empty)}</p>'
    keep = set(nowrap)

    def cell(i: int, content: str) -> str:
        return f'<td class="nw">{content}</td>' if i in keep else f"<td>{content}</td>"

    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "\n".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>"
                     for row in rows)
    cols = "".join(f'<col style="width: {w}%">' for w in widths)
    colgroup = f"<colgroup>{cols}</colgroup>\n" if cols else ""
    return (f'<table class="{cls}">\n{colgroup}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>")


def _fields(pairs: Iterable[tuple[str, str]]) -> str:
    """A form's label / value rows: labels plain text (escaped here), values safe HTML."""
    rows = "\n".join(f'<tr><th scope="row">{esc(label)}</th><td>{value}</td></tr>'
                     for label, value in pairs)
    return f'<table class="fields">\n{rows}\n</table>'


def _paragraphs(ctx: ReportContext, text: str | None) -> str:
    if not text or not text.strip():
        return '<p class="empty">–</p>'
    return "\n".join(f"<p>{ctx.text(p)}</p>" for p in text.split("\n") if p.strip())


def _list(items: Iterable[str], empty: str = "–", ordered: bool = False) -> str:
    items = list(items)
    if not items:
        return f'<p class="empty">{esc(empty)}</p>'
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>"


def _level(ctx: ReportContext, level: str | None) -> str:
    if level is None:
        return ctx.t("Not assessed")
    return f'<span class="level level-{esc(level)}">{ctx.label("level", level)}</span>'


def _signature(ctx: ReportContext, roles: Iterable[tuple[str, str | None]]) -> str:
    """Lines to sign on paper: role, printed name, signature, date."""
    rows = [(esc(role), ctx.text(name) if name else "", "", "") for role, name in roles]
    return _table([ctx._("Role"), ctx._("Name"), ctx._("Signature"), ctx._("Date")], rows,
                  cls="grid signatures")


def _person(ctx: ReportContext, agency: str | None, name: str | None) -> str:
    parts = [ctx.label("agency", agency) if agency else "", ctx.text(name) if name else ""]
    return "<br>".join(p for p in parts if p) or "–"


# --- shared pieces -------------------------------------------------------------------

def overall_risk(ctx: ReportContext) -> str:
    """The overall level and why: "the highest indicated from the table"."""
    risk = case_risk(ctx.case)
    if risk.level is None:
        return f'<p class="overall">{ctx.t("Overall level of risk")}: {ctx.t("Not assessed")}</p>'
    if "unaccompanied" in risk.reasons:
        why = ctx.t("unaccompanied child")
    else:
        why = ", ".join(ctx.label("factor", key) for key in risk.reasons)
    note = ""
    if not risk.complete:
        note = " " + esc(ctx._("(incomplete: {n} of {total} factors assessed)").format(
            n=risk.assessed, total=len(protocol.factor_keys())))
    return (f'<p class="overall">{ctx.t("Overall level of risk")}: {_level(ctx, risk.level)}'
            f' &mdash; {why}{note}</p>')


def risk_table(ctx: ReportContext) -> str:
    """The Risk Analysis Framework: each factor, its level and the protocol's descriptor."""
    factors = ctx.case.assessment.risk_factors
    rows = []
    for key in protocol.factor_keys():
        level = getattr(factors, key)
        text = esc(protocol.descriptor(key, level, ctx.lang)) if level else "–"
        rows.append((ctx.label("factor", key), _level(ctx, level), text))
    return _table([ctx._("Risk factor"), ctx._("Level"), ctx._("Descriptor (protocol)")],
                  rows, cls="grid risk", nowrap=(1,))


def wellbeing_table(ctx: ReportContext) -> str:
    wellbeing = ctx.case.assessment.wellbeing
    rows = []
    for key in protocol.indicator_keys():
        entry = getattr(wellbeing, key)
        rows.append((ctx.label("indicator", key),
                     f'<span class="status status-{esc(entry.status)}">'
                     f'{ctx.label("status", entry.status)}</span>',
                     ctx.text(entry.notes)))
    return _table([ctx._("Wellbeing indicator"), ctx._("Status"), ctx._("Notes")], rows,
                  cls="grid wellbeing", nowrap=(0, 1), widths=(25, 20, 55))


def wellbeing_chart(ctx: ReportContext) -> str:
    """A small bar chart of the five indicators, as a PNG inside the page (no file, no URL)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    wellbeing = ctx.case.assessment.wellbeing
    keys = protocol.indicator_keys()
    statuses = [getattr(wellbeing, k).status for k in keys]
    fig = Figure(figsize=(5.2, 1.9), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    y = list(range(len(keys)))[::-1]
    ax.barh(y, [WELLBEING_SCORE[s] for s in statuses],
            color=[WELLBEING_COLOUR[s] for s in statuses], height=0.6)
    ax.set_yticks(y, [protocol.label("indicator", k, ctx.lang) for k in keys], fontsize=8)
    ax.set_xlim(0, 3)
    ax.set_xticks([0, 1, 2, 3], [protocol.label("status", s, ctx.lang) for s in
                                 ("not_assessed", "not_met", "partly_met", "met")], fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = esc(ctx._("Wellbeing indicators chart"))
    return (f'<figure class="chart"><img alt="{alt}" src="data:image/png;base64,{data}">'
            f"</figure>")


def actions_table(ctx: ReportContext, actions: list[Action]) -> str:
    """The unified action plan: need, action, who, when, contingency, status."""
    rows = []
    for a in actions:
        need = ctx.text(a.need)
        if a.indicator:
            need += f'<br><span class="tag">{ctx.label("indicator", a.indicator)}</span>'
        action = ctx.text(a.action)
        if a.contingency:
            action += (f'<br><span class="contingency">{ctx.t("Contingency")}: '
                       f"{ctx.text(a.contingency)}</span>")
        rows.append((ctx.text(a.id), need, action,
                     _person(ctx, a.responsible_agency, a.responsible_person),
                     ctx.label("term", a.term) if a.term else "–", ctx.text(a.due),
                     ctx.label("action_status", a.status)))
    return _table([ctx._("No."), ctx._("Need"), ctx._("Action"), ctx._("Responsible"),
                   ctx._("Term"), ctx._("Due"), ctx._("Status")], rows, cls="grid actions",
                  empty=ctx._("No actions recorded."), nowrap=(4, 5, 6),
                  widths=(5, 16, 26, 14, 15, 12, 12))


def participants_table(ctx: ReportContext, meeting: Meeting) -> str:
    rows = [(ctx.label("agency", p.agency) if p.agency else "–", ctx.text(p.name),
             ctx.text(p.role)) for p in meeting.participants]
    out = _table([ctx._("Agency"), ctx._("Name"), ctx._("Role")], rows, cls="grid people",
                 empty=ctx._("No participants recorded."))
    apologies = _apologies_rows(ctx, meeting)
    if apologies:
        out += f'\n<h3>{ctx.t("Apologies")}</h3>\n' + _table(
            [ctx._("Agency"), ctx._("Name"), ctx._("Notified on"), ctx._("Substitute"),
             ctx._("Information sent")], apologies, cls="grid people", nowrap=(2,),
            widths=(24, 15, 14, 15, 32))
    family = (f'<p>{ctx.t("Family attended")}: {ctx.text(meeting.family_attended)}; '
              f'{ctx.t("Child attended")}: {ctx.text(meeting.child_attended)}</p>')
    return out + "\n" + family


def _apologies_rows(ctx: ReportContext, meeting: Meeting) -> list[tuple]:
    """Who could not attend: the agencies' own answers (with the information they sent
    and the substitute they named, Article 8), then the apologies the minutes list."""
    rows, answered = [], set()
    for i in meeting.invited:
        if i.answer in ("apologies", "substitute"):
            answered.add(i.agency)
            rows.append((ctx.label("agency", i.agency) if i.agency else "–", ctx.text(i.name),
                         ctx.text(i.answered_on), ctx.text(i.substitute),
                         _paragraphs(ctx, i.information)))
    for a in meeting.apologies:
        if not (a.agency and a.agency in answered):
            rows.append((ctx.label("agency", a.agency) if a.agency else "–", ctx.text(a.name),
                         ctx.text(a.notified_on), "–", "–"))
    return rows


def _validity(ctx: ReportContext, meeting: Meeting) -> str:
    """Article 7, stated when not met: every member directly involved present."""
    missing = attendance_problems(meeting)
    if not missing:
        return ""
    names = ", ".join(ctx.label("agency", a) for a in missing)
    rule = ctx.t(ARTICLE_7)
    return f'<p class="warning">{rule} {ctx.t("Not present")}: {names}</p>'


ARTICLE_7 = N_("Article 7: the meeting is valid only if every member directly involved in "
               "the case attends (or their substitute).")


def _identity_rows(ctx: ReportContext) -> list[tuple[str, str]]:
    """The case code, and the child's name only inside the Task Force (not redacted)."""
    rows = [(ctx._("Case code"), f'<strong class="case-code">{esc(ctx.code)}</strong>')]
    if not ctx.redact:
        child = ctx.case.child
        name = " ".join(p for p in (child.given_name, child.family_name) if p)
        rows += [(ctx._("Child's name and surname"), ctx.text(name)),
                 (ctx._("Date of birth"), ctx.text(child.date_of_birth)),
                 (ctx._("Address"), ctx.text(child.address))]
    return rows


def _redaction_note(ctx: ReportContext) -> str:
    if ctx.redact:
        return (f'<p class="note redacted">{ctx.t("Copy for distribution: the child is named by the case code only; name, date of birth and address are withheld.")}</p>')  # noqa: E501
    return (f'<p class="note internal">{ctx.t("Task Force copy: contains the identity of the child. Do not send outside the Task Force.")}</p>')  # noqa: E501


# --- the case file (the notebook's overview) -------------------------------------------

def identification(ctx: ReportContext) -> str:
    child = ctx.case.child
    rows = _identity_rows(ctx) + [
        (ctx._("Municipality"), ctx.municipality()),
        (ctx._("Age"), ctx.text(child_age(child, ctx.as_of))),
        (ctx._("Sex"), ctx.label("sex", child.sex) if child.sex else "–"),
        (ctx._("Languages"), ctx.text(", ".join(child.languages))),
        (ctx._("Unaccompanied child"), ctx.text(child.unaccompanied)),
        (ctx._("Disability"), ctx.label("disability", child.disability)
         if child.disability else "–"),
        (ctx._("In conflict with the law"), ctx.text(child.in_conflict_with_law)),
        (ctx._("Case manager"), ctx.text(ctx.case.case_manager)),
    ]
    return _section("case-identification", ctx._("Identification"),
                    _redaction_note(ctx) + "\n" + _fields(rows))


def referral(ctx: ReportContext) -> str:
    r = ctx.case.referral
    rows = [
        (ctx._("Referral date"), ctx.text(r.date)),
        (ctx._("Referring agency"), ctx.label("agency", r.referring_agency)
         if r.referring_agency else "–"),
        (ctx._("Referred by"), ctx.text(r.referrer)),
        (ctx._("Abuse categories"), ", ".join(ctx.label("abuse_category", c)
                                              for c in r.abuse_categories) or "–"),
        (ctx._("Concern"), _paragraphs(ctx, r.concern)),
        (ctx._("Manifestations"), _list(ctx.item(m) for m in r.manifestations)),
        (ctx._("Signs"), _list(ctx.item(s) for s in r.signs)),
    ]
    return _section("case-referral", ctx._("Referral"), _fields(rows))


def assessment(ctx: ReportContext) -> str:
    a = ctx.case.assessment
    rows = [
        (ctx._("Assessment started"), ctx.text(a.started_on)),
        (ctx._("Assessment completed"), ctx.text(a.completed_on)),
        (ctx._("Nature of risk"), _list(ctx.item(x) for x in a.nature_of_risk)),
        (ctx._("Vulnerabilities"), _list(ctx.item(x) for x in a.vulnerabilities)),
        (ctx._("Protective influences"), _list(ctx.item(x) for x in a.protective_influences)),
        (ctx._("Needs"), _list(ctx.text(x) for x in a.needs)),
        (ctx._("Summary"), _paragraphs(ctx, a.summary)),
    ]
    body = (f'<h3>{ctx.t("Risk Analysis Framework")}</h3>\n{risk_table(ctx)}\n'
            f"{overall_risk(ctx)}\n{_fields(rows)}")
    return _section("case-assessment", ctx._("Assessment"), body)


def wellbeing(ctx: ReportContext) -> str:
    return _section("case-wellbeing", ctx._("Wellbeing indicators"),
                    wellbeing_table(ctx) + "\n" + wellbeing_chart(ctx))


def care_plan(ctx: ReportContext) -> str:
    plan = ctx.case.care_plan
    rows = [(ctx._("Agreed on"), ctx.text(plan.agreed_on)),
            (ctx._("Review date"), ctx.text(plan.review_date)),
            (ctx._("Distributed on"), ctx.text(plan.distributed_on))]
    return _section("case-care-plan", ctx._("Care plan"),
                    _fields(rows) + "\n" + actions_table(ctx, plan.actions))


def meetings(ctx: ReportContext) -> str:
    rows = [(ctx.text(m.date), ctx.label("meeting_kind", m.kind), ctx.text(m.chair),
             _level(ctx, m.agreed_risk_level) if m.agreed_risk_level else "–",
             ctx.text(next_meeting_date(m)), ctx.text(m.minutes_distributed_on))
            for m in ctx.case.meetings]
    body = _table([ctx._("Date"), ctx._("Kind"), ctx._("Chair"), ctx._("Agreed risk level"),
                   ctx._("Next meeting"), ctx._("Minutes distributed")], rows,
                  empty=ctx._("No meeting (CMR) recorded."), nowrap=(0, 3, 4, 5),
                  widths=(13, 17, 22, 16, 16, 16))
    return _section("case-meetings", ctx._("Case Management Roundtables (CMR)"), body)


def deadlines(ctx: ReportContext) -> str:
    rows = []
    for d in sorted(case_deadlines(ctx.case), key=lambda d: (d.due, d.name)):
        status = d.status(ctx.as_of)
        rows.append((esc(deadline_label(d.kind, ctx.lang)), ctx.text(d.meeting),
                     ctx.text(d.due), ctx.text(d.done_on),
                     f'<span class="deadline-{status}">{ctx.t(STATUS_LABELS[status])}</span>'))
    body = (f'<p>{ctx.t("As of")} {ctx.text(ctx.as_of)}</p>\n' + _table(
        [ctx._("Deadline"), ctx._("Meeting"), ctx._("Due"), ctx._("Done on"), ctx._("Status")],
        rows, empty=ctx._("No deadlines."), nowrap=(1, 2, 3, 4),
        widths=(40, 15, 15, 15, 15)))
    return _section("case-deadlines", ctx._("Deadlines"), body)


OVERVIEW: tuple[Callable[[ReportContext], str], ...] = (
    identification, referral, assessment, wellbeing, care_plan, meetings, deadlines)


# --- Appendix 7: minutes of a CMR -------------------------------------------------------

def _minutes_label(key: str, ctx: ReportContext) -> str:
    entry = next(s for s in protocol.MINUTES_SECTIONS if s["key"] == key)
    return ctx._(entry["label"])


def _sid(prefix: str, key: str) -> str:
    return f"{prefix}-{key.replace('_', '-')}"


def _case_manager_actions(ctx: ReportContext, meeting: Meeting) -> str:
    """What the CSW / case manager did up to the meeting: assessment, consent, own actions."""
    case = ctx.case
    manager = case.case_manager
    items = []
    a = case.assessment
    if a.started_on or a.completed_on:
        items.append(ctx.t("Assessment started on {start}, completed on {end}.").format(
            start=ctx.text(a.started_on), end=ctx.text(a.completed_on)))
    if case.consent.parent_consent or case.consent.child_assent:
        items.append(f'{ctx.t("Consent of the parents")}: '
                     f'{ctx.label("consent", case.consent.parent_consent)}; '
                     f'{ctx.t("assent of the child")}: '
                     f'{ctx.label("consent", case.consent.child_assent)}')
    for action in case.care_plan.actions:
        for p in action.progress:
            if p.date and p.date <= meeting.date and manager and p.by == manager:
                items.append(f"{ctx.text(p.date)} ({ctx.text(action.id)}): {ctx.text(p.note)}")
    return _list(items, empty=ctx._("No actions recorded."))


def _review(ctx: ReportContext, meeting: Meeting) -> str:
    """Results presented by the stakeholders against the plan: each agency's written
    progress report for this meeting, then the progress noted on the actions."""
    out = ""
    for report in sorted(meeting.progress_reports, key=lambda r: r.agency):
        head = (f'<h3>{ctx.label("agency", report.agency)}</h3>'
                f'<p class="note">{ctx.t("Progress report sent on")} '
                f'{ctx.text(report.submitted_on)}'
                + (f" ({ctx.text(report.by)})" if report.by else "") + "</p>")
        actions = _table([ctx._("Action"), ctx._("Status"), ctx._("Note")],
                         [(ctx.text(a.id), ctx.label("action_status", a.status)
                           if a.status else "–", ctx.text(a.note)) for a in report.actions],
                         empty="", widths=(15, 20, 65)) if report.actions else ""
        out += head + _paragraphs(ctx, report.text) + actions
    rows = []
    for action in ctx.case.care_plan.actions:
        for p in action.progress:
            if p.date is None or p.date <= meeting.date:
                rows.append((ctx.text(action.id), ctx.text(p.date), ctx.text(p.by),
                             ctx.text(p.note)))
    if out and not rows:
        return out
    return out + _table(
        [ctx._("Action"), ctx._("Date"), ctx._("Reported by"), ctx._("Result")],
        rows, empty=ctx._("No results reported against the plan by this meeting."),
        nowrap=(1,), widths=(12, 15, 23, 50))


def _closure_block(ctx: ReportContext, meeting: Meeting) -> list[str]:
    """Appendix 7's "Case closure" block, for a closure CMR: the closure date, the
    person responsible, the participants."""
    if meeting.kind != "closure":
        return []
    closure = ctx.case.closure
    people = _list((f"{ctx.label('agency', p.agency) if p.agency else '–'}: "
                    f"{ctx.text(p.name)}" for p in meeting.participants), ordered=True)
    body = _fields([
        (ctx._("Closure date"), ctx.text(closure.date if closure else None)),
        (ctx._("Reason"), ctx.label("closure_reason", closure.reason) if closure else "–"),
        (ctx._("The person responsible for the case"),
         ctx.text(closure.responsible if closure else None)),
        (ctx._("Participants"), people)])
    return [_section("minutes-case-closure", ctx._("Case closure"), body)]


def _description(ctx: ReportContext, meeting: Meeting) -> str:
    rows = [
        (ctx._("Discussion"), _paragraphs(ctx, meeting.discussion)),
        (ctx._("Views of the family"), _paragraphs(ctx, meeting.family_views)),
        (ctx._("Views of the child"), _paragraphs(ctx, meeting.child_views)),
        (ctx._("Decisions"), _list((ctx.text(d) for d in meeting.decisions), ordered=True)),
        (ctx._("Agreed risk level"), _level(ctx, meeting.agreed_risk_level)
         if meeting.agreed_risk_level else "–"),
        (ctx._("Next meeting"), ctx.text(next_meeting_date(meeting))),
    ]
    if meeting.next_meeting_reason:
        rows.append((ctx._("Reason for the review period"),
                     _paragraphs(ctx, meeting.next_meeting_reason)))
    return _fields(rows)


def minutes(ctx: ReportContext) -> list[str]:
    """Every section of the Appendix 7 template, for ``ctx.meeting``."""
    meeting = ctx.meeting
    if meeting is None:
        raise ValueError("minutes need a meeting")
    case = ctx.case
    r = case.referral
    risk = case_risk(case)
    bodies = {
        "client": _redaction_note(ctx) + _fields(_identity_rows(ctx)),
        "referred_by": _fields([
            (ctx._("Case manager"), ctx.text(case.case_manager)),
            (ctx._("Referring agency"), ctx.label("agency", r.referring_agency)
             if r.referring_agency else "–"),
            (ctx._("Referred by"), ctx.text(r.referrer)),
            (ctx._("Referral date"), ctx.text(r.date))]),
        "risk": _fields([
            (ctx._("Risk level agreed at this meeting"), _level(ctx, meeting.agreed_risk_level)
             if meeting.agreed_risk_level else "–"),
            (ctx._("Assessed overall level"), _level(ctx, risk.level))]),
        "meeting_date": _fields([
            (ctx._("Date"), ctx.text(meeting.date)),
            (ctx._("Kind of meeting"), ctx.label("meeting_kind", meeting.kind)),
            (ctx._("Chair"), ctx.text(meeting.chair)),
            (ctx._("Minutes taken by"), ctx.text(meeting.minute_taker))]),
        "assessment": (_paragraphs(ctx, case.assessment.summary)
                       + f'\n<h3>{ctx.t("Risk Analysis Framework")}</h3>\n' + risk_table(ctx)
                       + "\n" + overall_risk(ctx)
                       + f'\n<h3>{ctx.t("Wellbeing indicators")}</h3>\n' + wellbeing_table(ctx)
                       + f'\n<h3>{ctx.t("Needs")}</h3>\n'
                       + _list(ctx.text(n) for n in case.assessment.needs)),
        "actions_case_manager": _case_manager_actions(ctx, meeting),
        "description": _description(ctx, meeting),
        "action_plan": actions_table(ctx, case.care_plan.actions),
        "review": _review(ctx, meeting),
        "participants": _validity(ctx, meeting) + participants_table(ctx, meeting),
    }
    heading = _fields([(ctx._("Municipality"), ctx.municipality()),
                       (ctx._("Venue"), ctx.text(meeting.venue)),
                       (ctx._("Time"), ctx.text(meeting.time))])
    out = [_section("minutes-municipality", ctx._("Municipality"), heading)]
    out += [_section(_sid("minutes", s["key"]), ctx._(s["label"]), bodies[s["key"]])
            for s in protocol.MINUTES_SECTIONS]
    out += _closure_block(ctx, meeting)
    distributed = (f'<p>{ctx.t("Minutes distributed to the members on")}: '
                   f"{ctx.text(meeting.minutes_distributed_on)}</p>")
    out.append(_section("minutes-signatures", ctx._("Signatures"), distributed + _signature(
        ctx, [(ctx._("Chair"), meeting.chair), (ctx._("Minutes taken by"),
                                                meeting.minute_taker)])))
    return out + acknowledged_warnings(ctx, "minutes")


def acknowledged_warnings(ctx: ReportContext, report: str) -> list[str]:
    """The protocol's warnings the users acknowledged on this case, for ``report``: the
    rule's words, the field, who and when (``docs/protocol-rules.md``).  Empty (no
    section) when there are none."""
    acks = for_report(ctx.case, report)
    if not acks:
        return []
    rules = all_rules()
    rows = [[f"{ctx.t(rules[a.rule].words)} <span class='note'>({ctx.t(rules[a.rule].where)})"
             f"</span>", esc(a.field), ctx.text(a.by),
             esc(a.at.strftime("%Y-%m-%d %H:%M"))] for a in acks]
    table = _table([ctx._("What the protocol says should happen"), ctx._("Field"),
                    ctx._("Acknowledged by"), ctx._("On")], rows)
    said = ctx.t("These warnings were shown to the user, who went on after acknowledging them.")
    intro = f'<p class="note">{said}</p>'
    return [_section(_sid(report, "acknowledged"), ctx._("Warnings acknowledged"),
                     intro + table)]


# --- Appendix 6: invitation and agenda --------------------------------------------------

def invitation(ctx: ReportContext) -> list[str]:
    meeting = ctx.meeting
    if meeting is None:
        raise ValueError("an invitation needs a meeting")
    case = ctx.case
    details = _fields([
        (ctx._("Case code"), f'<strong class="case-code">{esc(ctx.code)}</strong>'),
        (ctx._("Municipality"), ctx.municipality()),
        (ctx._("Date of the meeting"), ctx.text(meeting.date)),
        (ctx._("Time"), ctx.text(meeting.time) if meeting.time else '<span class="blank"></span>'),
        (ctx._("Venue"), ctx.text(meeting.venue) if meeting.venue
         else '<span class="blank"></span>'),
        (ctx._("Kind of meeting"), ctx.label("meeting_kind", meeting.kind)),
        (ctx._("Chair"), ctx.text(meeting.chair)),
        (ctx._("Case manager"), ctx.text(case.case_manager)),
        (ctx._("Current risk level"), _level(ctx, current_risk(case))),
    ])
    keys = ([i.agency for i in meeting.invited if i.agency] if meeting.invited
            else invited_agencies(case, meeting.kind))
    invited = [(ctx.label("agency", key), "☐", "☐") for key in dict.fromkeys(keys)]
    agenda_items = []
    for entry in protocol.CMR_AGENDA:
        sub = _list((esc(ctx._(i["label"])) for i in entry["items"]), empty="") \
            if entry["items"] else ""
        agenda_items.append(esc(ctx._(entry["label"])) + sub)
    return [
        _section("invitation-details", ctx._("Invitation"), details),
        _section("invitation-invited", ctx._("Agencies invited"), _table(
            [ctx._("Agency"), ctx._("Will attend"), ctx._("Apologies")], invited,
            cls="grid people")),
        _section("invitation-agenda", ctx._("Agenda"), _list(agenda_items, ordered=True)),
        _section("invitation-notes", ctx._("Please note"),
                 _list(ctx.t(_process_step(stage, key)) for stage, key in INVITATION_NOTES)),
    ]


# --- the care plan (copy for the family and agencies) ------------------------------------

def care_plan_form(ctx: ReportContext) -> list[str]:
    case = ctx.case
    plan = case.care_plan
    summary = _fields(_identity_rows(ctx) + [
        (ctx._("Case manager"), ctx.text(case.case_manager)),
        (ctx._("Agreed at the CMR on"), ctx.text(plan.agreed_on)),
        (ctx._("Review date"), ctx.text(plan.review_date)),
        (ctx._("Current risk level"), _level(ctx, current_risk(case))),
    ])
    agencies = sorted({(a.responsible_agency or "", a.responsible_person or "")
                       for a in plan.actions if a.responsible_agency or a.responsible_person})
    contacts = _table([ctx._("Agency"), ctx._("Person responsible")],
                      [(ctx.label("agency", a) if a else "–", ctx.text(p)) for a, p in agencies],
                      cls="grid people", empty=ctx._("No one named yet."))
    distributed = (f'<p>{ctx.t("Copy distributed to the members and the family on")}: '
                   f"{ctx.text(plan.distributed_on)}</p>")
    return [
        _section("care-plan-summary", ctx._("Care plan"), _redaction_note(ctx) + summary),
        _section("care-plan-purposes", ctx._("Purpose of the plan"),
                 _list(ctx.t(p) for p in protocol.CARE_PLAN_PURPOSES)),
        _section("care-plan-needs", ctx._("Needs"),
                 _list(ctx.text(n) for n in case.assessment.needs)),
        _section("care-plan-actions", ctx._("Unified Action Plan"),
                 actions_table(ctx, plan.actions)),
        _section("care-plan-contacts", ctx._("Who to contact"), contacts),
        _section("care-plan-signatures", ctx._("Signatures"), distributed + _signature(
            ctx, [(ctx._("Case manager"), case.case_manager), (ctx._("Parent / carer"), None)])),
        *acknowledged_warnings(ctx, "care-plan"),
    ]


# --- Appendix 7: case closure form ------------------------------------------------------

def _closure_meeting(ctx: ReportContext) -> Meeting | None:
    closure = ctx.case.closure
    if closure is None:
        return None
    if ctx.meeting is not None:
        return ctx.meeting
    by_date = {m.date: m for m in ctx.case.meetings}
    if closure.agreed_at_meeting in by_date:
        return by_date[closure.agreed_at_meeting]
    held = [m for m in ctx.case.meetings if m.kind == "closure" and m.date <= closure.date]
    return max(held, key=lambda m: m.date) if held else None


def closure_form(ctx: ReportContext) -> list[str]:
    closure = ctx.case.closure
    if closure is None:
        raise ValueError("the case is not closed")
    meeting = _closure_meeting(ctx)
    labels = {s["key"]: ctx._(s["label"]) for s in protocol.CLOSURE_FORM_SECTIONS}
    if meeting is None:
        cmr = f'<p class="empty">{ctx.t("No CMR: a low risk case closed by the CSW.")}</p>'
        people = f'<p class="empty">{ctx.t("No CMR was held.")}</p>'
    else:
        cmr = _fields([(ctx._("Date"), ctx.text(meeting.date)),
                       (ctx._("Kind of meeting"), ctx.label("meeting_kind", meeting.kind)),
                       (ctx._("Chair"), ctx.text(meeting.chair)),
                       (ctx._("Agreed risk level"), _level(ctx, meeting.agreed_risk_level)
                        if meeting.agreed_risk_level else "–")])
        people = participants_table(ctx, meeting)
    views = _fields([(ctx._("Views of the child"), _paragraphs(ctx, closure.child_views)),
                     (ctx._("Views of the family"), _paragraphs(ctx, closure.family_views))])
    return [
        _section("closure-case", ctx._("Case"), _redaction_note(ctx) + _fields(
            _identity_rows(ctx) + [(ctx._("Case manager"), ctx.text(ctx.case.case_manager))])),
        _section("closure-closure-date", labels["closure_date"],
                 f'<p class="value">{ctx.text(closure.date)}</p>'),
        _section("closure-reason", labels["reason"],
                 f'<p class="value">{ctx.label("closure_reason", closure.reason)}</p>'
                 + (_paragraphs(ctx, closure.notes) if closure.notes else "")),
        _section("closure-responsible", labels["responsible"],
                 f'<p class="value">{ctx.text(closure.responsible)}</p>'),
        _section("closure-cmr", ctx._("The CMR that agreed the closure"), cmr),
        _section("closure-participants", labels["participants"], people),
        _section("closure-views", labels["views"], views),
        _section("closure-signatures", ctx._("Signatures"), _signature(
            ctx, [(ctx._("The person responsible for the case"), closure.responsible),
                  (ctx._("Head of social services"), None)])),
        *acknowledged_warnings(ctx, "closure"),
    ]


def chronology_report(ctx: ReportContext) -> list[str]:
    """The case's significant events in date order (:mod:`cpkit.rules.chronology`), for a
    CMR or a court: what happened in words, the case's own text quoted (redacted like the
    rest of the report), and who recorded it."""
    from cpkit.rules.chronology import chronology

    rows = [(ctx.text(e.date), esc(e.what), _paragraphs(ctx, e.text) if e.text else "",
             ctx.text(e.source) if e.source else "") for e in chronology(ctx.case, ctx.lang)]
    table = _table([ctx._("Date"), ctx._("Event"), ctx._("As recorded"), ctx._("Source")],
                   rows, nowrap=[0], widths=[13, 27, 44, 16])
    return [
        _section("chronology-case", ctx._("Case"), _redaction_note(ctx) + _fields(
            _identity_rows(ctx) + [(ctx._("Case manager"), ctx.text(ctx.case.case_manager))])),
        _section("chronology-events", ctx._("Chronology"), table),
    ]


# --- dispatch -------------------------------------------------------------------------

FORMS: dict[str, Callable[[ReportContext], list[str]]] = {
    "invitation": invitation, "minutes": minutes, "care-plan": care_plan_form,
    "closure": closure_form, "chronology": chronology_report,
}


def report(ctx: ReportContext) -> list[str]:
    """The sections of ``ctx.report``: a protocol document, or the whole case file."""
    if ctx.report == "case":
        return [section(ctx) for section in OVERVIEW]
    return FORMS[ctx.report](ctx)

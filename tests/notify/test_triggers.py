"""What people do tells the others: an invitation to the invitee agencies' members, an
answer, a progress report or "we cannot carry out this action" to the case manager,
minutes distributed to the agencies.  Through the real roads (``cpkit meeting``, the
guard's saves), mail through a real SMTP server on loopback, never with a child's name,
birth date or address."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from cpkit.access import Guard
from cpkit.cli import main
from cpkit.notify import inbox
from cpkit.notify.mailer import SmtpSettings, deliver, mail_rows, queue_mail, set_contact
from cpkit.rules import meeting_parts
from cpkit.store import Store
from tests.access.conftest import identities, populate

CASE = "PR-2026-0001"  # Arta Morina's; police (A1) and education involved, not probation
REVIEW = "2026-12-10"
TODAY = dt.date(2026, 12, 2)


def cli(user: str, *args: str, monkeypatch):
    monkeypatch.setenv("CPKIT_USER", user)
    return CliRunner().invoke(main, list(args))


def smtp(port: int) -> SmtpSettings:
    return SmtpSettings.from_url(f"smtp://127.0.0.1:{port}?from=cpkit@example.org")


def identifying(text: str) -> list[str]:
    """Any child's name, birth date (ISO or as forms write it) or address in ``text``."""
    found = []
    for given, family, born, address in identities().values():
        day = dt.date.fromisoformat(born)
        found += [v for v in (given, family, born, address, day.strftime("%d.%m.%Y"))
                  if v and v in text]
    return found


@pytest.fixture
def task_force(cpkit_home):
    """The default store (what ``cpkit`` opens) with the task force's users, a police
    officer among them; PR-2026-0001's latest minutes not yet distributed."""
    store = Store()
    populate(store)
    Guard.for_user(store, "ada").add_user("pol", ["agency_member"],
                                          "police_domestic_violence")
    record = store.get(CASE)
    record.case.meetings[-1].minutes_distributed_on = None
    store.save(record.case, record.version)
    set_contact(store, "arta", "arta@example.org", "daily")
    set_contact(store, "pol", "pol@example.org", "immediate")
    set_contact(store, "edi", "edi@example.org", "immediate")
    yield store
    store.close()


def kinds_of(store: Store, user: str) -> list[str]:
    return [n.kind for n in inbox(store, user)]


def test_planning_a_cmr_invites_the_invitee_agencies_members_once(task_force, monkeypatch):
    planned = cli("arta", "meeting", "plan", CASE, "--date", REVIEW, "--kind", "review",
                  monkeypatch=monkeypatch)
    assert planned.exit_code == 0, planned.output
    assert kinds_of(task_force, "pol") == ["invitation"]
    assert kinds_of(task_force, "edi") == ["invitation"]
    assert kinds_of(task_force, "prob") == []  # probation is not invited to a review
    assert kinds_of(task_force, "arta") == []  # the one who planned it
    line = inbox(task_force, "pol")[0].line("sq")
    assert CASE in line and "2026" in line
    guard = Guard.for_user(task_force, "arta")  # the invitation rendered: told already
    guard.record_render(CASE, case_version=guard.version(CASE), kind="invitation",
                        fmt="html", lang="en", redacted=True,
                        meeting_date=dt.date.fromisoformat(REVIEW),
                        path="/nowhere/invitation.html", sha256="0" * 64)
    assert kinds_of(task_force, "pol") == ["invitation"]


def test_an_answer_and_a_report_tell_the_case_manager(task_force, monkeypatch):
    cli("arta", "meeting", "plan", CASE, "--date", REVIEW, "--kind", "review",
        monkeypatch=monkeypatch)
    answered = cli("pol", "meeting", "respond", CASE, "--meeting", REVIEW, "--answer",
                   "attending", monkeypatch=monkeypatch)
    assert answered.exit_code == 0, answered.output
    assert kinds_of(task_force, "arta") == ["invitation_answered"]
    notice = inbox(task_force, "arta")[0]
    assert notice.detail == {"code": CASE, "meeting": REVIEW,
                             "agency": "police_domestic_violence", "answer": "attending"}
    reported = cli("pol", "meeting", "report", CASE, "--meeting", REVIEW, "--text",
                   "Visits made.", "--action", "A1=done", monkeypatch=monkeypatch)
    assert reported.exit_code == 0, reported.output
    assert kinds_of(task_force, "arta")[0] == "progress_report_received"
    assert kinds_of(task_force, "pol") == ["invitation"]  # nobody is told of their own


def test_an_agency_that_cannot_carry_out_an_action_tells_the_case_manager_at_once(
        task_force, smtp_server, smtp_port, monkeypatch):
    cli("arta", "meeting", "plan", CASE, "--date", REVIEW, "--kind", "review",
        monkeypatch=monkeypatch)
    no_reason = cli("pol", "meeting", "report", CASE, "--meeting", REVIEW, "--text", "x",
                    "--action", "A1=cannot_comply", monkeypatch=monkeypatch)
    assert no_reason.exit_code == 2 and "note" in no_reason.stderr
    not_theirs = cli("pol", "meeting", "report", CASE, "--meeting", REVIEW, "--text", "x",
                     "--action", "A2=cannot_comply:no staff", monkeypatch=monkeypatch)
    assert not_theirs.exit_code == 2 and "A2" in not_theirs.stderr
    said = cli("pol", "meeting", "report", CASE, "--meeting", REVIEW, "--text",
               "No officer free.", "--action", "A1=cannot_comply:no officer until March",
               monkeypatch=monkeypatch)
    assert said.exit_code == 0, said.output
    assert "action_cannot_comply" in kinds_of(task_force, "arta")
    stored = task_force.get(CASE).case.meetings[-1].report_of("police_domestic_violence")
    assert stored.actions[0].cannot_comply is True and stored.actions[0].status == "not_done"
    # arta takes a daily digest, but this one goes at once, on its own
    assert queue_mail(task_force, TODAY) >= 1
    smtp_server.start()
    deliver(task_force, smtp(smtp_port))
    to_arta = [m for m in smtp_server.messages if m["to"] == ["arta@example.org"]]
    urgent = [m for m in to_arta if "cannot carry out action A1" in m["subject"]]
    assert len(urgent) == 1 and CASE in urgent[0]["text"]
    assert "no officer until March" not in urgent[0]["raw"]  # free text stays in cpkit
    for message in smtp_server.messages:
        assert not identifying(message["raw"])
    # said again with the same words: no second notice
    again = cli("pol", "meeting", "report", CASE, "--meeting", REVIEW, "--text",
                "No officer free; we tried.", "--action",
                "A1=cannot_comply:no officer until March", monkeypatch=monkeypatch)
    assert again.exit_code == 0
    assert kinds_of(task_force, "arta").count("action_cannot_comply") == 1


def test_minutes_distributed_tell_the_agencies_and_mail_arrives_without_a_name(
        task_force, smtp_server, smtp_port):
    guard = Guard.for_user(task_force, "arta")
    record = guard.get(CASE, "edit")
    held = record.case.meetings[-1]
    held.minutes_distributed_on = held.date + dt.timedelta(days=3)
    guard.save(record.case, record.version, action="distribute")
    assert kinds_of(task_force, "pol") == ["minutes_distributed"]
    assert kinds_of(task_force, "edi") == ["minutes_distributed"]
    assert kinds_of(task_force, "arta") == []
    queue_mail(task_force, TODAY)
    smtp_server.start()
    assert deliver(task_force, smtp(smtp_port))["sent"] == 2
    assert {m["to"][0] for m in smtp_server.messages} == {"pol@example.org", "edi@example.org"}
    for message in smtp_server.messages:
        assert CASE in message["text"] and "minutes" in message["subject"]
        assert not identifying(message["raw"])
    assert not identifying(" ".join(r["subject"] for r in mail_rows(task_force)))


def test_a_save_with_the_mail_server_down_succeeds_and_its_notice_is_mailed_later(
        task_force, smtp_server, smtp_port, monkeypatch):
    cli("arta", "meeting", "plan", CASE, "--date", REVIEW, "--kind", "review",
        monkeypatch=monkeypatch)
    monkeypatch.setenv("CPKIT_SMTP_URL", f"smtp://127.0.0.1:{smtp_port}")  # nobody there
    answered = cli("edi", "meeting", "respond", CASE, "--meeting", REVIEW, "--answer",
                   "apologies", "--information", "Attendance is regular.",
                   monkeypatch=monkeypatch)
    assert answered.exit_code == 0, answered.output
    assert task_force.get(CASE).case.meetings[-1].invited  # saved
    set_contact(task_force, "arta", "arta@example.org", "immediate")
    queue_mail(task_force, TODAY)
    down = deliver(task_force, smtp(smtp_port))
    assert down["sent"] == 0 and down["retrying"] >= 1
    assert all(r["last_error"] for r in mail_rows(task_force) if r["status"] == "pending")
    smtp_server.start()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    assert deliver(task_force, smtp(smtp_port), now=later)["retrying"] == 0
    to_arta = [m for m in smtp_server.messages if m["to"] == ["arta@example.org"]]
    assert any("answered the invitation" in m["subject"] for m in to_arta)
    assert not any(identifying(m["raw"]) for m in smtp_server.messages)


def test_the_report_function_keeps_cannot_comply_as_not_done_with_its_flag(task_force):
    case = meeting_parts.plan(task_force.get(CASE).case, dt.date(2026, 12, 10), "review")
    out = meeting_parts.report(case, dt.date(2026, 12, 10), "police_domestic_violence",
                               TODAY, by="pol", text=None,
                               actions={"A1": ("cannot_comply", "no officer")})
    said = out.meetings[-1].report_of("police_domestic_violence").actions[0]
    assert meeting_parts.reported_status(said) == "cannot_comply"
    assert out.to_document()["meetings"][-1]["progress_reports"][0]["actions"][0] == {
        "id": "A1", "status": "not_done", "note": "no officer", "cannot_comply": True}


def test_the_agency_page_says_an_action_cannot_be_carried_out(task_force, monkeypatch):
    from cpkit.forms.agency import AgencyPage

    cli("arta", "meeting", "plan", CASE, "--date", REVIEW, "--kind", "review",
        monkeypatch=monkeypatch)
    page = AgencyPage(store=Guard.for_user(task_force, "pol"), today=TODAY)
    (task,) = [t for t in page.tasks if t.code == CASE and str(t.day) == REVIEW]
    status, note = task.action_rows["A1"]
    assert "cannot_comply" in [v for _label, v in status.options]
    status.value = "cannot_comply"
    task.send_progress_report()
    assert "note" in page.message.value  # the reason is needed: nothing sent
    assert "action_cannot_comply" not in kinds_of(task_force, "arta")
    note.value = "No officer free until March."
    task.send_progress_report()
    assert "sent" in page.message.value, page.message.value
    assert set(kinds_of(task_force, "arta")) == {"action_cannot_comply",
                                                 "progress_report_received"}
    again = AgencyPage(store=Guard.for_user(task_force, "pol"), today=TODAY)
    (task,) = [t for t in again.tasks if t.code == CASE and str(t.day) == REVIEW]
    assert task.action_rows["A1"][0].value == "cannot_comply"  # shown as said

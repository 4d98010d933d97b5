"""The agency member's page: their invitations, reports and minutes; nothing else."""

from __future__ import annotations

import datetime as dt

from cpkit.access import Guard
from cpkit.forms.agency import AgencyPage
from cpkit.i18n import set_lang
from cpkit.rules import meeting_parts
from tests.access.conftest import access_store  # noqa: F401  (the fixture)

CASE = "PR-2026-0001"
DAY = dt.date.today() + dt.timedelta(days=10)


def plan(store):
    record = store.get(CASE)
    store.save(meeting_parts.plan(record.case, DAY, "review", "10:00", "CSW"), record.version)


def test_the_school_answers_and_reports_from_its_page(access_store):  # noqa: F811
    plan(access_store)
    page = AgencyPage(store=Guard.for_user(access_store, "edi"))
    (task,) = [t for t in page.tasks if t.code == CASE]
    assert "CSW" in task.box.children[0].value and "10:00" in task.box.children[0].value
    task.answer.value = "apologies"
    task.information.value = "Attendance 95% this term."
    task.send_answer.click()
    assert "sent" in page.message.value, page.message.value
    task.report_text.value = "Attends every day; homework club."
    task.send_report.click()
    assert "sent" in page.message.value, page.message.value
    meeting = meeting_parts.find_meeting(access_store.get(CASE).case, DAY)
    invitee = next(i for i in meeting.invited if i.agency == "education")
    assert (invitee.answer, invitee.information) == ("apologies", "Attendance 95% this term.")
    assert meeting.report_of("education").text == "Attends every day; homework club."
    # The page shows no child's name (case codes only) and reads through the guard.
    child = access_store.get(CASE).case.child
    assert child.given_name not in str([t.box.children[0].value for t in page.tasks])
    assert any(r["action"] == "read_redacted" and r["actor"] == "edi"
               for r in access_store.audit_rows(CASE))


def test_the_page_in_the_users_language_and_for_an_uninvited_agency(access_store):  # noqa: F811
    plan(access_store)
    try:
        set_lang("sq")
        page = AgencyPage(store=Guard.for_user(access_store, "prob"))
    finally:
        set_lang("en")
    assert page.tasks == []  # probation is not invited to this case's review
    shown = page.widget.children[-1].children[1].value
    assert "Asgjë nuk i kërkohet agjencisë suaj tani." in shown
    assert "Çfarë i kërkon Task Forca agjencisë suaj" in page.widget.children[2].value


def test_an_agency_member_cannot_change_the_assessment_and_is_told(access_store):  # noqa: F811
    """The police may read the case (involved agency) but never change the assessment:
    Save says so, and nothing is written."""
    from cpkit.forms.risk import RiskForm
    from tests.forms.test_forms_widgets import put

    before = access_store.get(CASE)
    form = RiskForm(CASE, store=Guard.for_user(access_store, "edi"), user="edi")
    put(form, "assessment.risk_factors.family_stress", "high")
    assert form.save() is False
    assert "Not saved" in form.status.value and "may not" in form.status.value
    after = access_store.get(CASE)
    assert after.version == before.version and after.case == before.case


def test_from_a_served_kernel_the_stored_case_never_reaches_the_agency(access_store,  # noqa: F811
                                                                         tmp_path,
                                                                         monkeypatch):
    """An agency member's page in a form's kernel writes its part through the guard its
    server serves (cpkit.access.remote): the change is made to the stored case in the
    host, and nothing the host sends the kernel holds the child's identity."""
    from cpkit.access import remote
    from cpkit.store import Store

    plan(access_store)
    child = access_store.get(CASE).case.child
    heard: list[bytes] = []
    receive = remote.receive

    def listening(sock):
        body = receive(sock)
        heard.append(body)
        return body

    monkeypatch.setattr(remote, "receive", listening)
    server = remote.GuardServer(tmp_path / "guard.sock",
                                lambda: Guard.for_user(Store(access_store.url), "edi")).start()
    guard = remote.RemoteGuard(str(server.path), server.token)
    try:
        page = AgencyPage(store=guard)
        (task,) = [t for t in page.tasks if t.code == CASE]
        task.answer.value = "attending"
        task.send_answer.click()
        task.report_text.value = "Attends every day."
        task.send_report.click()
        assert "sent" in page.message.value, page.message.value
    finally:
        guard.close()
        server.stop()
    meeting = meeting_parts.find_meeting(access_store.get(CASE).case, DAY)
    assert meeting.report_of("education").text == "Attends every day."
    assert heard and not [b for b in heard if child.given_name.encode() in b
                          or child.family_name.encode() in b]

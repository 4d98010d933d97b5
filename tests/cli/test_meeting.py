"""``cpkit meeting``: the case manager plans, each agency answers and reports for itself
only; every write versioned and audited; the rest of the case out of an agency's reach."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from cpkit.access import Guard
from cpkit.cli import main
from cpkit.errors import BadInput
from cpkit.rules import meeting_parts
from tests.access.conftest import access_store  # noqa: F401  (the fixture)

CASE = "PR-2026-0001"  # education involved; care plan action A1 is police_domestic_violence's
NEXT = (dt.date.today() + dt.timedelta(days=10)).isoformat()


def run(user, *args):
    return CliRunner().invoke(main, list(args), env={"CPKIT_USER": user})


def meeting(store, day=NEXT):
    return meeting_parts.find_meeting(store.get(CASE).case, dt.date.fromisoformat(day))


def test_plan_respond_report_list(access_store):  # noqa: F811
    planned = run("arta", "meeting", "plan", CASE, "--date", NEXT, "--kind", "review",
                  "--time", "10:30", "--venue", "CSW Prishtinë, room 2")
    assert planned.exit_code == 0, planned.output
    m = meeting(access_store)
    assert (m.status, m.time, m.venue) == ("planned", "10:30", "CSW Prishtinë, room 2")
    # A review invites the involved agencies (the protocol's rule), not all of them.
    assert {"csw", "education", "police_domestic_violence"} <= {i.agency for i in m.invited}
    assert "probation" not in {i.agency for i in m.invited}

    answered = run("edi", "meeting", "respond", CASE, "--meeting", NEXT, "--answer",
                   "substitute", "--substitute", "Deputy head", "--information",
                   "attendance improved")
    assert answered.exit_code == 0, answered.output
    invitee = next(i for i in meeting(access_store).invited if i.agency == "education")
    assert (invitee.answer, invitee.substitute, invitee.information, invitee.answered_on) == (
        "substitute", "Deputy head", "attendance improved", dt.date.today())

    reported = run("edi", "meeting", "report", CASE, "--meeting", NEXT, "--text",
                   "attends daily")
    assert reported.exit_code == 0, reported.output
    (report,) = meeting(access_store).progress_reports
    assert (report.agency, report.text, report.submitted_on) == (
        "education", "attends daily", dt.date.today())
    # Each write is a new version with an audit row naming the agency's user.
    audit = [(r["actor"], r["action"]) for r in access_store.audit_rows(CASE)]
    assert ("edi", "answer_invitation") in audit and ("edi", "progress_report") in audit

    listed = run("sara", "meeting", "list", CASE)
    assert listed.exit_code == 0, listed.output
    assert "Deputy head" in listed.output and "10:30" in listed.output
    assert "Not answered" in listed.output or "not answered" in listed.output


def test_an_agency_writes_its_own_part_and_nothing_else(access_store):  # noqa: F811
    assert run("arta", "meeting", "plan", CASE, "--date", NEXT, "--kind", "review").exit_code == 0
    before = access_store.get(CASE)
    # Another agency's answer, an action not theirs, a case they do not work on: refused.
    other = run("edi", "meeting", "respond", CASE, "--meeting", NEXT, "--answer",
                "attending", "--agency", "police_domestic_violence")
    assert other.exit_code == 1 and "education only" in other.output
    not_theirs = run("edi", "meeting", "report", CASE, "--meeting", NEXT, "--text", "x",
                     "--action", "A1=done")
    assert not_theirs.exit_code == 2 and "A1" in not_theirs.output
    outsider = run("prob", "meeting", "respond", CASE, "--meeting", NEXT, "--answer",
                   "attending")
    assert outsider.exit_code == 1 and "Traceback" not in outsider.output
    # The write path itself refuses a change beyond the agency's own part.
    guard = Guard.for_user(access_store, "edi")

    def change_assessment(case):
        changed = meeting_parts.answer(case, dt.date.fromisoformat(NEXT), "education",
                                       "attending", dt.date.today())
        changed.assessment.summary = "rewritten by the school"
        return changed

    with pytest.raises(Exception, match="own part of a meeting only"):
        guard.write_agency_part(CASE, "education", change_assessment, "answer_invitation")
    after = access_store.get(CASE)
    assert after.version == before.version
    assert after.case.to_document() == before.case.to_document()
    # Made to the version the page started from (merged into what is stored now, see
    # test_meeting_concurrent.py): before the meeting was planned there was none to answer.
    with pytest.raises(BadInput, match="no meeting"):
        guard.write_agency_part(
            CASE, "education", lambda c: meeting_parts.answer(
                c, dt.date.fromisoformat(NEXT), "education", "attending", dt.date.today()),
            "answer_invitation", expected_version=before.version - 1)


def test_plan_an_initial_cmr_invites_every_agency_and_export_lists_its_deadlines(
        access_store):  # noqa: F811
    code = "FE-2026-0001"
    planned = run("sara", "meeting", "plan", code, "--date", NEXT, "--kind", "initial")
    assert planned.exit_code == 0, planned.output
    m = meeting_parts.find_meeting(access_store.get(code).case, dt.date.fromisoformat(NEXT))
    assert len(m.invited) == 15  # every agency but "other"
    exported = json.loads(run("sara", "export", code).stdout)
    kinds = {(e["kind"], e["meeting"]) for e in exported["derived"]["deadline_list"]}
    assert ("invitation", NEXT) in kinds


def test_the_case_manager_edits_the_invitees(access_store):  # noqa: F811
    """The invitees are chosen by the protocol's rule and editable: ``--invite`` names
    them instead; an unknown agency is refused, named, and nothing is written."""
    before = access_store.get(CASE).version
    bad = run("arta", "meeting", "plan", CASE, "--date", NEXT, "--kind", "review",
              "--invite", "csw", "--invite", "fire_brigade")
    assert bad.exit_code == 2 and "invite: fire_brigade is not an agency" in bad.output
    assert access_store.get(CASE).version == before
    planned = run("arta", "meeting", "plan", CASE, "--date", NEXT, "--kind", "review",
                  "--invite", "csw", "--invite", "education", "--invite", "probation")
    assert planned.exit_code == 0, planned.output
    assert [i.agency for i in meeting(access_store).invited] == ["csw", "education",
                                                                 "probation"]


def test_an_agency_acknowledges_the_minutes_of_a_held_meeting(access_store):  # noqa: F811
    """The minutes to acknowledge: an agency records, for itself only, that it received
    the minutes of a held CMR (once; a planned meeting has no minutes yet)."""
    held = "2026-10-29"
    done = run("edi", "meeting", "acknowledge", CASE, "--meeting", held)
    assert done.exit_code == 0, done.output
    again = run("edi", "meeting", "acknowledge", CASE, "--meeting", held)
    assert again.exit_code == 0, again.output
    m = meeting(access_store, held)
    assert [(a.agency, a.on) for a in m.minutes_acknowledged] == [
        ("education", dt.date.today())]
    assert ("edi", "acknowledge_minutes") in [
        (r["actor"], r["action"]) for r in access_store.audit_rows(CASE)]
    assert run("arta", "meeting", "plan", CASE, "--date", NEXT, "--kind", "review"
               ).exit_code == 0
    early = run("edi", "meeting", "acknowledge", CASE, "--meeting", NEXT)
    assert early.exit_code == 2 and "has not been held" in early.output

"""Every viewer of a rendered report goes through one guard method
(:meth:`cpkit.access.Guard.read_report`): the dashboard's View button and
``cpkit view``.  An agency member asking either for the Task Force's internal
(unredacted) report is refused, sees no name, and no view is recorded; the redacted
report opens and its viewing is audited; a case manager opens the internal one.
(The agency page shows no rendered report file: it works from the redacted case.)"""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from cpkit.dashboard.widgets import Dashboard
from cpkit.store.reports import add_report
from tests.access.conftest import guard_for
from tests.conftest import AS_OF

CASE = "PR-2026-0001"


@pytest.fixture
def two_reports(access_store, tmp_path) -> dict[str, int]:
    """An internal report naming the child and a redacted one, both of CASE."""
    ids = {}
    for kind, page in (("internal", "<p>Minutes about Ëndrina Çelaj</p>"),
                       ("redacted", "<p>Minutes about [child]</p>")):
        path = tmp_path / f"minutes-{kind}.html"
        path.write_text(page, encoding="utf-8")
        ids[kind] = add_report(access_store, case_id=CASE,
                               case_version=access_store.get(CASE).version, kind="minutes",
                               fmt="html", lang="en", redacted=kind == "redacted",
                               meeting_date=None, path=str(path),
                               sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                               actor="arta")
    return ids


def views(store) -> list[tuple[str, int]]:
    return [(r["actor"], r["detail"]["report_id"])
            for r in guard_for(store, "ada").audit_rows(CASE) if r["action"] == "view_report"]


def view(user: str, *args: str):
    return CliRunner().invoke(main, ["view", *args], env={"CPKIT_USER": user})


def test_cpkit_view_refuses_an_agency_member_the_internal_report(access_store, two_reports):
    refused = view("edi", str(two_reports["internal"]))
    assert refused.exit_code == 1 and "internal report" in refused.stderr
    assert "Ëndrina" not in refused.output and "Traceback" not in refused.output
    assert views(access_store) == []
    shown = view("edi", str(two_reports["redacted"]))
    assert shown.exit_code == 0, shown.output
    assert "[child]" in shown.stdout and "Ëndrina" not in shown.stdout
    assert views(access_store) == [("edi", two_reports["redacted"])]


def test_cpkit_view_gives_the_case_manager_the_internal_report(access_store, two_reports,
                                                              tmp_path):
    out = tmp_path / "copy.html"
    shown = view("arta", str(two_reports["internal"]), "-o", str(out))
    assert shown.exit_code == 0, shown.output
    assert "Ëndrina" in out.read_text(encoding="utf-8")
    assert views(access_store) == [("arta", two_reports["internal"])]


def test_cpkit_view_refuses_a_changed_file_and_an_unknown_report(access_store, two_reports,
                                                                 tmp_path):
    (tmp_path / "minutes-redacted.html").write_text("<p>Ëndrina</p>", encoding="utf-8")
    changed = view("arta", str(two_reports["redacted"]))
    assert changed.exit_code == 2 and "has changed since it was rendered" in changed.stderr
    assert "Ëndrina" not in changed.output
    unknown = view("arta", "999")
    assert unknown.exit_code == 2 and "no such report" in unknown.stderr
    assert views(access_store) == []


def test_the_dashboard_refuses_an_agency_member_the_internal_report(access_store,
                                                                   two_reports):
    board = Dashboard(store=access_store, user="edi", today=AS_OF)
    # listed (the report exists), refused when opened: by the guard, in words
    assert two_reports["internal"] in {s.report_id for s in board.statuses}
    board.view(two_reports["internal"])
    assert "Ëndrina" not in board.viewer.value and "internal report" in board.viewer.value
    assert views(access_store) == []
    board.view(two_reports["redacted"])
    assert "[child]" in board.viewer.value and "Ëndrina" not in board.viewer.value
    assert views(access_store) == [("edi", two_reports["redacted"])]


def test_the_dashboard_opens_the_internal_report_for_the_case_manager(access_store,
                                                                     two_reports):
    board = Dashboard(store=access_store, user="arta", today=AS_OF)
    board.view(two_reports["internal"])
    assert "Ëndrina" in board.viewer.value
    assert views(access_store) == [("arta", two_reports["internal"])]

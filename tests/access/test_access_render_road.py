"""The access matrix on the road users take to a document: ``cpkit render`` and the
dashboard's render button, for every role and case, and ``--distributed`` (a change of
the case) refused to a user who may render but not edit."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from cpkit.store.reports import report_rows
from tests.access.conftest import identities
from tests.access.test_access_matrix import EXPECTED

AS_OF = "2026-11-22"
CELLS = [(user, case) for user, cases in EXPECTED.items() for case in cases]


def render_as(monkeypatch, user: str, *args: str):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("CPKIT_USER", user)
    return CliRunner().invoke(main, ["render", *args, "--as-of", AS_OF],
                              catch_exceptions=False)


@pytest.mark.parametrize(("user", "case_id"), CELLS, ids=[f"{u}-{c}" for u, c in CELLS])
def test_cpkit_render_for_every_role(access_store, cpkit_home, monkeypatch, user, case_id):
    allowed, identity = EXPECTED[user][case_id]
    result = render_as(monkeypatch, user, case_id, "--report", "minutes", "--no-redact")
    rows = report_rows(access_store, case_id)
    if "render" not in allowed:
        assert result.exit_code != 0
        assert f"user {user} may not" in result.output
        assert rows == [] and not (cpkit_home / "reports").exists()
        return
    assert result.exit_code == 0, result.output
    assert len(rows) == 1 and rows[0]["actor"] == user
    # asked for the internal copy: only those who may see the child's identity get it
    assert bool(rows[0]["redacted"]) is (not identity)
    page = open(rows[0]["path"], encoding="utf-8").read()
    given, family = identities()[case_id][:2]
    assert (family in page) is identity


def test_distributed_is_an_edit_refused_to_a_reader(access_store, cpkit_home, monkeypatch):
    before = access_store.get("PR-2026-0001")
    result = render_as(monkeypatch, "edi", "PR-2026-0001", "--report", "minutes",
                       "--distributed", "2026-11-01")
    assert result.exit_code != 0
    assert "user edi may not change case PR-2026-0001" in result.output
    assert report_rows(access_store, "PR-2026-0001") == []
    assert access_store.get("PR-2026-0001").version == before.version


def test_distributed_by_the_case_manager_saves_through_the_guard(access_store, cpkit_home,
                                                                 monkeypatch):
    before = access_store.get("PR-2026-0001")
    meeting = max(before.case.meetings, key=lambda m: m.date)
    result = render_as(monkeypatch, "arta", "PR-2026-0001", "--report", "minutes",
                       "--distributed", AS_OF)
    assert result.exit_code == 0, result.output
    after = access_store.get("PR-2026-0001")
    assert after.version == before.version + 1
    assert next(m for m in after.case.meetings if m.date == meeting.date
                ).minutes_distributed_on.isoformat() == AS_OF
    audit = access_store.audit_rows("PR-2026-0001")
    assert [a["actor"] for a in audit if a["action"] == "distribute"] == ["arta"]


@pytest.mark.parametrize("user", sorted(EXPECTED))
def test_dashboard_render_button_for_every_role(access_store, cpkit_home, user):
    from cpkit.dashboard.widgets import Dashboard
    from tests.conftest import AS_OF as TODAY

    board = Dashboard(store=access_store, user=user, today=TODAY)
    offered = set(board.case.options)
    for case_id, (allowed, _identity) in EXPECTED[user].items():
        if "render" not in allowed or case_id.startswith("TR-"):
            assert case_id not in offered
            continue
        assert case_id in offered
        board.case.value = case_id
        board.kind.value = "minutes"
        board.render_button.click()
        assert "rendered" in board.message.value.lower(), board.message.value
        row = report_rows(access_store, case_id)[-1]
        assert row["actor"] == user and row["redacted"]  # the page renders redacted copies
        page = open(row["path"], encoding="utf-8").read()
        assert identities()[case_id][1] not in page

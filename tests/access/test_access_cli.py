"""The same need-to-know rules through the ``cpkit`` command: list, show, export,
users, audit, the child's own file, and the single-user start-up notice."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from cpkit.cli import main
from tests.access.conftest import LIVE, TRAINING, identities

# user -> the live cases they may list / show / export, and whether with identity
SEES = {
    "ada": {},
    "sara": {"PR-2026-0001": True, "PE-2026-0001": True, "FE-2026-0001": True},
    "arta": {"PR-2026-0001": True},
    "edi": {"PR-2026-0001": False, "PE-2026-0001": False},
    "prob": {"PE-2026-0001": False},
    "tina": {},
}


def cpkit(user: str | None, *args: str):
    env = {"CPKIT_USER": user} if user else {}
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize("user", sorted(SEES))
def test_list_through_cli(access_store, user):
    result = cpkit(user, "list")
    assert result.exit_code == 0, result.output
    listed = {code for code in LIVE + [TRAINING] if code in result.stdout}
    assert listed == set(SEES[user])


@pytest.mark.parametrize(("user", "case_id"),
                         [(u, c) for u in sorted(SEES) for c in ["PR-2026-0001",
                                                                 "PE-2026-0001"]])
@pytest.mark.parametrize("command", ["show", "export"])
def test_show_and_export_through_cli(access_store, user, case_id, command):
    result = cpkit(user, command, case_id, "--as-of", "2026-11-22")
    secrets = identities()[case_id][:2]
    if case_id not in SEES[user]:
        assert result.exit_code == 1
        assert f"user {user} may not" in result.stderr
        assert not any(s in result.output for s in secrets)
        return
    assert result.exit_code == 0, result.output
    assert all((s in result.stdout) is SEES[user][case_id] for s in secrets)
    if command == "export":
        document = json.loads(result.stdout)
        assert document["case_id"] == case_id
        assert bool(document.get("redacted")) is (not SEES[user][case_id])


def test_export_all_gives_only_visible_cases(access_store):
    result = cpkit("edi", "export", "--all")
    assert result.exit_code == 0, result.stderr
    assert sorted(d["case_id"] for d in json.loads(result.stdout)) == ["PE-2026-0001",
                                                                        "PR-2026-0001"]
    assert "Ëndrina" not in result.stdout and "Tahiraj" not in result.stdout


def test_unknown_user_is_refused_everywhere(access_store):
    for args in (["list"], ["show", "PR-2026-0001"], ["export", "--all"], ["deadlines"],
                 ["audit"], ["user", "list"]):
        result = cpkit("mallory", *args)
        assert result.exit_code == 1, args
        assert "user mallory may not use this case store" in result.stderr
        assert result.stdout == ""


def test_single_user_mode_is_said_plainly(cpkit_home):
    result = cpkit("someone", "import", "tests/fixtures/case_high_physical.json")
    assert result.exit_code == 0, result.output
    notice = "single-user mode: no users configured; anyone using this account sees every case"
    assert notice in result.stderr
    shown = cpkit("someone-else", "show", "PR-2026-0001")
    assert notice in shown.stderr and "Ëndrina" in shown.stdout


def test_user_commands(cpkit_home):
    assert cpkit("boss", "user", "add", "sara", "--role", "supervisor").exit_code == 2
    assert cpkit("boss", "user", "add", "boss", "--role", "admin").exit_code == 0
    added = cpkit("boss", "user", "add", "edi", "--role", "agency_member")
    assert added.exit_code == 2 and "agency" in added.stderr
    assert cpkit("boss", "user", "add", "edi", "--role", "agency_member",
                 "--agency", "education").exit_code == 0
    listing = cpkit("boss", "user", "list")
    assert "edi" in listing.stdout and "education" in listing.stdout
    assert cpkit("edi", "user", "list").exit_code == 1
    assert cpkit("edi", "user", "add", "edi2", "--role", "admin").exit_code == 1
    assert cpkit("boss", "user", "remove", "edi").exit_code == 0
    assert cpkit("edi", "list").exit_code == 1


def test_grant_through_cli(access_store):
    assert cpkit("prob", "show", "FE-2026-0001").exit_code == 1
    assert cpkit("ada", "user", "grant", "prob", "FE-2026-0001", "--identity").exit_code == 0
    shown = cpkit("prob", "show", "FE-2026-0001")
    assert shown.exit_code == 0 and "Klea" in shown.stdout
    assert cpkit("ada", "user", "grant", "prob", "FE-2026-0001", "--revoke").exit_code == 0
    assert cpkit("prob", "show", "FE-2026-0001").exit_code == 1


def test_audit_command_shows_who_saw_what(access_store):
    cpkit("edi", "show", "PE-2026-0001")
    cpkit("sara", "show", "PE-2026-0001")
    cpkit("sara", "export", "PE-2026-0001")
    result = cpkit("ada", "audit", "PE-2026-0001")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.stdout.splitlines()[2:]]
    actions = [(cols[2], cols[3]) for cols in lines]
    assert ("edi", "read_redacted") in actions and ("sara", "read_identity") in actions
    assert ("sara", "export") in actions
    only_edi = cpkit("sara", "audit", "--user", "edi")
    assert only_edi.exit_code == 0
    assert all(" edi " in line for line in only_edi.stdout.splitlines()[2:])
    for secret in identities()["PE-2026-0001"]:
        assert secret not in result.stdout
    for user in ("arta", "edi", "tina"):
        assert cpkit(user, "audit").exit_code == 1


def test_child_file_text_and_html(access_store, tmp_path):
    result = cpkit("arta", "export", "PR-2026-0001", "--for-child", "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Ëndrina Çelaj" in text and "2019-04-11" in text
    assert "Site of injury: High" in text or "Site of injury: High risk" in text
    assert "Her father" not in text  # nothing invented
    out = tmp_path / "child.html"
    html = cpkit("sara", "export", "PE-2026-0001", "--for-child", "--format", "html",
                 "-o", str(out))
    assert html.exit_code == 0, html.output
    page = out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Not to be shared with Municipal Directorate of Education" in page
    assert "The mother&#x27;s treatment for depression" in page
    # an agency member may not give the child their file (they do not hold identity)
    refused = cpkit("edi", "export", "PR-2026-0001", "--for-child")
    assert refused.exit_code == 1 and "child's identity" in refused.stderr
    assert cpkit("arta", "export", "--all", "--for-child").exit_code == 2


def test_audit_names_people_by_their_names_the_login_for_admins_only(access_store):
    cpkit("arta", "show", "PR-2026-0001")
    for_supervisor = cpkit("sara", "audit", "PR-2026-0001", "--user", "arta")
    assert for_supervisor.exit_code == 0
    assert "Arta Morina" in for_supervisor.stdout and "(arta)" not in for_supervisor.stdout
    for_admin = cpkit("ada", "audit", "PR-2026-0001", "--user", "arta")
    assert "Arta Morina (arta)" in for_admin.stdout

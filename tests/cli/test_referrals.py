"""``cpkit known``: is this child already known?  As intake types it."""

import json

from click.testing import CliRunner

from cpkit.cli import main
from tests.conftest import FIXTURES


def cli(*args):
    return CliRunner().invoke(main, list(args))


def test_known_by_name_and_birth_date_across_scripts():
    cli("import", str(FIXTURES / "case_medium_neglect.json"))  # Đorđe Živković, 2018-05-21
    found = cli("known", "--name", "Живковић Ђорђе", "--born", "2018-05-21")
    assert found.exit_code == 0
    assert "known: GR-2026-0001" in found.stdout and "same child" in found.stdout
    assert "Živković" not in found.stdout + found.stderr
    as_json = json.loads(cli("known", "--name", "Djordje Zivkovic", "--born", "2018",
                             "--format", "json").stdout)
    assert [r["case_id"] for r in as_json] == ["GR-2026-0001"]


def test_known_for_a_stored_case_excludes_itself():
    cli("import", str(FIXTURES / "case_medium_neglect.json"))
    result = cli("known", "GR-2026-0001")
    assert result.exit_code == 0 and "No case found" in result.stdout


def test_known_refuses_a_bad_birth_date_naming_the_option():
    result = cli("known", "--name", "Arta Morina", "--born", "21.05.2018")
    assert result.exit_code == 2 and "--born" in result.stderr
    nothing = cli("known")
    assert nothing.exit_code == 2 and "--name" in nothing.stderr


def test_notify_send_due_and_inbox_from_the_command_line(tmp_path, monkeypatch):
    from cpkit.store import Store
    from tests.access.conftest import populate
    from tests.notify.conftest import free_port

    store = Store()
    populate(store)
    store.close()
    monkeypatch.setenv("CPKIT_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")  # nobody there
    monkeypatch.setenv("CPKIT_USER", "arta")
    assert cli("user", "contact", "arta", "--email", "arta@example.org").exit_code == 0
    monkeypatch.setenv("CPKIT_USER", "sara")
    sent = cli("notify", "--send-due", "--as-of", "2026-12-08")
    assert sent.exit_code == 0 and "to retry" in sent.stderr
    monkeypatch.setenv("CPKIT_USER", "arta")
    mine = cli("inbox", "--unread", "--mark-read")
    assert mine.exit_code == 0 and "PR-2026-0001" in mine.stdout
    assert "No notifications." in cli("inbox", "--unread").stdout
    refused = cli("notify", "--send-due")  # a case manager does not run the mail job
    assert refused.exit_code == 1 and "may not" in refused.stderr


def test_transfer_from_the_command_line(monkeypatch):
    from cpkit.access import Guard
    from cpkit.store import Store
    from tests.access.conftest import populate

    store = Store()
    populate(store)
    Guard.for_user(store, "ada").add_user("besa", ["case_manager"], None, "Besa Gashi")
    store.close()
    monkeypatch.setenv("CPKIT_USER", "arta")
    asked = cli("transfer", "request", "PR-2026-0001", "--to", "besa",
                "--municipality", "Prizren")
    assert asked.exit_code == 0 and "Transfer 1 of PR-2026-0001 requested" in asked.stderr
    monkeypatch.setenv("CPKIT_USER", "besa")
    assert "waiting" in cli("transfer", "list", "--open").stdout
    assert cli("show", "PR-2026-0001").exit_code == 1  # not hers before accepting
    assert cli("transfer", "accept", "1").exit_code == 0
    assert cli("show", "PR-2026-0001").exit_code == 0
    assert cli("transfer", "decline", "1", "--reason", "late").exit_code == 2


def test_referral_from_an_agency_to_intake_on_the_command_line(tmp_path, monkeypatch):
    from cpkit.store import Store
    from tests.access.conftest import populate
    from tests.access.test_intake import referral_of

    store = Store()
    populate(store)
    store.close()
    sent = tmp_path / "referral.json"
    sent.write_text(json.dumps(referral_of("case_medium_neglect.json")), encoding="utf-8")
    monkeypatch.setenv("CPKIT_USER", "edi")
    submitted = cli("referral", "submit", str(sent))
    assert submitted.exit_code == 0 and "Referral 1 sent" in submitted.stderr
    monkeypatch.setenv("CPKIT_USER", "sara")
    assert "waiting for intake" in cli("referral", "list").stdout
    assert "No case found" in cli("referral", "known", "1").stdout
    assert cli("referral", "decline", "1", "--reason", "Followed elsewhere.").exit_code == 0
    monkeypatch.setenv("CPKIT_USER", "edi")
    mine = cli("referral", "list").stdout
    assert "declined" in mine and "Followed elsewhere." in mine
    assert cli("referral", "accept", "1").exit_code == 1  # not intake

"""A NUL character, on both stores alike: refused with a named error wherever it comes
in (a user name, an audit detail, a case's text, a search), nothing written.  It used
to fail on PostgreSQL only, with a driver error."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cpkit.access import Guard
from cpkit.access.users import add_user, get_user
from cpkit.cli import main
from cpkit.errors import BadInput, CpkitError
from cpkit.exchange import load_case
from cpkit.store import Store
from cpkit.store.repository import NulCharacter
from tests.conftest import fixture_document


@pytest.fixture
def store_with_user(store_url):
    store = Store(store_url)
    store.import_cases([load_case(fixture_document("case_high_physical.json"))],
                       actor="fixtures")
    add_user(store, "ada", ["admin"], None, None, by="setup")
    yield store
    store.close()


@pytest.mark.parametrize("name", ["arta\x00", "\x00", "ada\x00admin"])
def test_a_user_name_with_nul_is_refused_by_name(store_with_user, name):
    store = store_with_user
    before = len(store.audit_rows())
    with pytest.raises(NulCharacter, match=r"^name: contains a NUL character"):
        Guard.for_user(store, name)
    with pytest.raises(NulCharacter, match="NUL"):
        get_user(store, name)
    with pytest.raises(BadInput, match="name"):
        add_user(store, name, ["admin"], None, None, by="ada")
    assert get_user(store, "ada") is not None and len(store.audit_rows()) == before


@pytest.mark.parametrize("detail, actor, field", [
    ({"note": "before\x00after"}, "ada", "detail"),
    ({"note": "fine"}, "ad\x00a", "actor"),
])
def test_any_other_text_with_nul_is_refused_and_nothing_written(store_with_user, detail,
                                                                actor, field):
    store = store_with_user
    before = store.audit_rows()
    with pytest.raises(NulCharacter, match=rf"^{field}: contains a NUL character"):
        store.record_event("export", "PR-2026-0001", detail, actor=actor)
    assert store.audit_rows() == before and store.verify_audit().intact


def test_a_backslash_u0000_typed_as_text_is_not_a_nul(store_with_user):
    store = store_with_user
    store.record_event("export", None, {"note": "C:\\u0000\\x"}, actor="ada")
    assert store.audit_rows()[-1]["detail"] == {"note": "C:\\u0000\\x"}


def test_a_case_text_with_nul_is_refused_on_import_and_save(store_with_user, store_url,
                                                            tmp_path):
    store = store_with_user
    document = fixture_document("case_high_physical.json")
    document["referral"]["concern"] = "seen at school\x00 again"
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "--replace", str(path)],
                                env={"CPKIT_DB": store_url, "CPKIT_USER": "ada"})
    assert result.exit_code == 2, result.output
    assert "referral.concern" in result.stderr and "NUL" in result.stderr
    assert "Traceback" not in result.output
    record = store.get("PR-2026-0001")
    assert record.version == 1
    record.case.case_manager = "Arta\x00 Morina"
    with pytest.raises(CpkitError, match="NUL"):
        store.save(record.case, record.version, actor="ada")
    assert store.get("PR-2026-0001").version == 1

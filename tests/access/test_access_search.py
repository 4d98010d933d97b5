"""Searching by name leaves one ``search`` audit row (who, when, how many matched, not
what was typed), and a ``read_identity`` row only for the case the user opens."""

from __future__ import annotations

from cpkit.forms.landing import Landing
from tests.access.conftest import guard_for
from tests.conftest import AS_OF


def _rows(store, since: int) -> list[dict]:
    return store.audit_rows()[since:]


def test_a_search_with_several_matches_reads_no_case(access_store):
    sara = guard_for(access_store, "sara")
    page = Landing(store=sara, today=AS_OF)
    before = len(access_store.audit_rows())
    found = page.find("aj")  # Çelaj, Tahiraj, Hysaj
    assert sorted(found) == ["FE-2026-0001", "PE-2026-0001", "PR-2026-0001"]
    rows = _rows(access_store, before)
    assert [(r["action"], r["actor"], r["case_id"]) for r in rows] == [("search", "sara", None)]
    assert rows[0]["detail"] == {"matches": 3}
    assert "aj" not in str(rows[0]["detail"])


def test_opening_the_one_match_is_one_identity_read(access_store):
    sara = guard_for(access_store, "sara")
    page = Landing(store=sara, today=AS_OF)
    before = len(access_store.audit_rows())
    assert page.find("ëndrina") == ["PR-2026-0001"]
    rows = _rows(access_store, before)
    assert [(r["action"], r["case_id"]) for r in rows] == [
        ("search", None), ("read_identity", "PR-2026-0001")]


def test_search_only_finds_cases_whose_identity_the_user_may_see(access_store):
    edi = guard_for(access_store, "edi")  # education: redacted views only
    assert edi.search("Drin") == []
    assert [r.case.case_id for r in guard_for(access_store, "arta").search("a")] == [
        "PR-2026-0001"]

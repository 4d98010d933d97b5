"""Field paths: the forms write only what the assessor filled in, where problems point."""

from __future__ import annotations

from cpkit.forms import drafts
from cpkit.forms.docpath import get_in, parts, set_in


def test_parts_and_get_in():
    doc = {"meetings": [{"date": "2026-01-02", "participants": [{"agency": "csw"}]}]}
    assert parts("meetings[0].participants[0].agency") == ["meetings", 0, "participants", 0,
                                                          "agency"]
    assert get_in(doc, "meetings[0].participants[0].agency") == "csw"
    assert get_in(doc, "meetings[1].date") is None
    assert get_in(doc, "closure.date", "-") == "-"


def test_set_in_never_adds_empty_keys_but_clears_existing_ones():
    doc: dict = {"child": {"address": "Rr. 1"}}
    set_in(doc, "child.given_name", None)
    set_in(doc, "referral.concern", "")
    set_in(doc, "assessment.needs", [])
    assert doc == {"child": {"address": "Rr. 1"}}
    set_in(doc, "child.address", "")
    assert doc == {"child": {"address": None}}
    set_in(doc, "meetings[0].kind", "initial")
    set_in(doc, "meetings[0].decisions", ["Accept"])
    assert doc["meetings"] == [{"kind": "initial", "decisions": ["Accept"]}]
    set_in(doc, "child.unaccompanied", False)
    assert doc["child"]["unaccompanied"] is False  # False is a value, not "empty"


def test_draft_names_are_sanitised_and_private(cpkit_home):
    from cpkit.store import Store

    Store().ensure_key()
    path = drafts.write("ana/../x", "PR-2026-0001", "risk", {"a": 1}, 3)
    assert path.parent == cpkit_home / "drafts" and ".." not in path.name
    assert (path.stat().st_mode & 0o777) == 0o600
    draft = drafts.read("ana/../x", "PR-2026-0001", "risk")
    assert draft.document == {"a": 1} and draft.base_version == 3
    drafts.delete("ana/../x", "PR-2026-0001", "risk")
    assert drafts.read("ana/../x", "PR-2026-0001", "risk") is None
    name = drafts.draft_path("u", None, "referral").name
    assert len(name) == 64 + len(".draft") and "u" not in name.removesuffix(".draft")[:0]


def test_each_tab_keeps_its_own_draft(cpkit_home):
    from cpkit.store import Store

    Store().ensure_key()
    drafts.write("ana", "PR-2026-0001", "risk", {"a": 1}, 3, tab="t1")
    drafts.write("ana", "PR-2026-0001", "risk", {"a": 2}, 3, tab="t2")
    assert drafts.read("ana", "PR-2026-0001", "risk").document == {"a": 2}  # the newest
    drafts.delete("ana", "PR-2026-0001", "risk", "t2")  # t2 saved
    assert drafts.read("ana", "PR-2026-0001", "risk").document == {"a": 1}  # t1's stays
    drafts.delete("ana", "PR-2026-0001", "risk")
    assert drafts.read("ana", "PR-2026-0001", "risk") is None

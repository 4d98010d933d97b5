"""Drafts hold what the form holds (the child's identity): sealed on disk, one file per
exact user name, case and form, never opened for anyone else."""

from __future__ import annotations

import os
import shutil

import pytest

from cpkit.forms import drafts
from cpkit.store import Store
from tests.conftest import fixture_document

CHILD = fixture_document("case_high_physical.json")["child"]


@pytest.fixture
def keyed(cpkit_home):
    store = Store()
    store.ensure_key()
    yield store
    store.close()


def test_a_draft_on_disk_shows_no_identity(keyed, cpkit_home):
    path = drafts.write("arta", "PR-2026-0001", "referral", {"child": CHILD}, 2)
    raw = path.read_bytes()
    for value in (CHILD["given_name"], CHILD["family_name"], CHILD["date_of_birth"],
                  CHILD["address"], "PR-2026-0001", "arta"):
        assert value.encode("utf-8") not in raw, value
    assert drafts.read("arta", "PR-2026-0001", "referral").document == {"child": CHILD}


def test_names_a_sanitiser_would_fold_never_share_a_draft(keyed):
    drafts.write("arta.m", "PR-2026-0001", "referral", {"child": CHILD}, 2)
    assert drafts.draft_path("arta.m", "PR-2026-0001", "referral") != \
        drafts.draft_path("arta@m", "PR-2026-0001", "referral")
    assert drafts.read("arta@m", "PR-2026-0001", "referral") is None
    assert drafts.read("arta.m", "PR-2026-0001", "referral") is not None


def test_a_draft_copied_to_another_users_name_does_not_open(keyed):
    mine = drafts.write("arta", "PR-2026-0001", "referral", {"child": CHILD}, 2)
    theirs = drafts.draft_path("edi", "PR-2026-0001", "referral")
    shutil.copyfile(mine, theirs)
    os.chmod(theirs, 0o600)
    assert drafts.read("edi", "PR-2026-0001", "referral") is None


def test_a_draft_needs_the_stores_key(keyed, cpkit_home, monkeypatch):
    drafts.write("arta", "PR-2026-0001", "referral", {"child": CHILD}, 2)
    from cpkit import crypto

    monkeypatch.setenv("CPKIT_KEY", crypto.new_key_text())
    assert drafts.read("arta", "PR-2026-0001", "referral") is None
    assert drafts.draft_path("arta", "PR-2026-0001", "referral").exists()  # kept, not lost

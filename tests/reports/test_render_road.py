"""One road from a stored case to a document: the host reads through the guard, the
kernel gets the (redacted) document as a checked parameter and never a database URL or
a key, the host records through the guard."""

from __future__ import annotations

import json

from cpkit import resources
from cpkit.reports import render
from tests.conftest import AS_OF, fixture_case

SECRET_NAMES = ("CPKIT_DB", "CPKIT_KEY", "CPKIT_KEY_FILE", "CPKIT_HOME")


def test_the_kernel_gets_the_document_never_a_url_or_key(sqlite_store, tmp_path,
                                                         monkeypatch):
    from cpkit import crypto

    sqlite_store.import_cases([fixture_case("case_high_physical.json")])
    key_file = crypto.key_file()
    key_text = key_file.read_text().strip()
    monkeypatch.setenv("CPKIT_DB", sqlite_store.url)
    monkeypatch.setenv("CPKIT_KEY_FILE", str(key_file))
    monkeypatch.setenv("CPKIT_KEY", key_text)
    monkeypatch.setenv("SOME_SERVICE_TOKEN", "t0ken")
    seen = {}
    execute = render.execute

    def spy(nb, env, *args, **kwargs):
        seen.update(nb=json.dumps(nb), env=env)
        return execute(nb, env, *args, **kwargs)

    monkeypatch.setattr(render, "execute", spy)
    result = render.render_report(sqlite_store, "PR-2026-0001", "minutes", as_of=AS_OF,
                                  out_dir=tmp_path / "out")
    env, nb = seen["env"], seen["nb"]
    assert not set(SECRET_NAMES) & set(env) and "SOME_SERVICE_TOKEN" not in env
    database = sqlite_store.url.split("///")[-1]
    for secret in (sqlite_store.url, database, str(key_file), key_text):
        assert all(secret not in value for value in env.values())
        assert secret not in nb
    assert "case_document" in nb and "Ëndrina" not in nb  # redacted before it left
    assert result.path.exists()
    kept = result.notebook_path.read_text(encoding="utf-8")
    assert "case_document = \\\"...\\\"" in kept or 'case_document = \\"...\\"' in kept


def test_the_notebook_and_its_helpers_never_open_the_store():
    notebook = resources.CASE_NOTEBOOK.read_text(encoding="utf-8")
    for text in (notebook, (resources.path("..", "reports", "context.py")).read_text(),
                 (resources.path("..", "reports", "notebook.py")).read_text()):
        assert "CPKIT_DB" not in text and "Store(" not in text and "cpkit.store" not in text

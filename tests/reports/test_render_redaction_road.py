"""The one redactor on the road users take: a child written about in every free-text
field (hyphenated names, initials, short forms, the birth date in every common written
form, Albanian and Serbian month names) is withheld from every redacted document, in
the HTML and in the PDF text, rendered one by one and in a batch."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cpkit.exchange import load_case
from cpkit.reports import batch
from cpkit.reports.engine import ENGINE_NAME
from cpkit.reports.render import render_report
from tests.access.redaction_table import append_to_free_text
from tests.conftest import AS_OF, fixture_document
from tests.reports.document_text import html_text, pdf_text


def html_text_of(path) -> str:
    return html_text(path.read_text(encoding="utf-8"))

LEAK = ("Ana-Maria Krasniqi (born 3.4.2012) told Maria's teacher; 03/04/2012. "
        "A.M.K. (Ani, Anči at home) was born on 3 April 2012 / April 3rd, 2012 / "
        "2012-04-03 / 3 prill 2012 / 3. aprila 2012. / 3. априла 2012. / 3/4/12")
# What must not be left: each as a pattern over the page's text.
LEFT_OVER = [r"\bAna\b", r"\bMaria", r"Krasniq", r"\bAni\b", r"Anči", r"A\.\s*M\.\s*K",
             r"\b0?3[./]0?4[./](20)?12\b", r"2012-04-03", r"(?i)april\w*,? 2012",
             r"(?i)prill 2012", r"(?i)april 3", r"(?i)априла 2012"]


def _with_leaks(document: dict) -> dict:
    """``document`` with LEAK appended to every free-text value that can hold it (a
    value the format then refuses, a short name field, is put back)."""
    document["child"].update(given_name="Ana-Maria", family_name="Krasniqi",
                             date_of_birth="2012-04-03", address="Rruga e Dëshmorëve 12, Prizren")
    assert append_to_free_text(document, LEAK) > 10
    return document


@pytest.fixture(scope="module")
def leaky_cases():
    return [load_case(_with_leaks(fixture_document(name)))
            for name in ("case_high_physical.json", "case_closed.json")]


def _check(text: str, where: str) -> None:
    text = " ".join(text.split())
    for pattern in LEFT_OVER:
        found = re.search(pattern, text)
        assert found is None, f"{where}: {found.group(0)!r} left in the redacted copy"
    if "invitation" not in where:  # an invitation quotes no free text of the case
        assert "[withheld]" in text, where


REPORTS = [("PR-2026-0001", "minutes"), ("PR-2026-0001", "care-plan"),
           ("PR-2026-0001", "invitation"), ("GJ-2026-0001", "closure"),
           ("GJ-2026-0001", "minutes")]


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_every_redacted_document_withholds_the_child(sqlite_store, leaky_cases, pool,
                                                     tmp_path, fmt):
    sqlite_store.import_cases(leaky_cases)
    for code, kind in REPORTS:
        result = render_report(sqlite_store, code, kind, fmt=fmt, as_of=AS_OF,
                               out_dir=tmp_path, engine=ENGINE_NAME,
                               engine_kwargs={"pool": pool})
        assert result.redacted
        text = pdf_text(result.path) if fmt == "pdf" else html_text_of(result.path)
        _check(text, f"{code} {kind} {fmt}")
        assert code in text
        notebook = result.notebook_path.read_text(encoding="utf-8")
        assert "Krasniqi" not in notebook and "2012-04-03" not in notebook


def test_the_internal_copy_keeps_what_the_task_force_may_see(sqlite_store, leaky_cases,
                                                              pool, tmp_path):
    sqlite_store.import_cases(leaky_cases)
    result = render_report(sqlite_store, "PR-2026-0001", "minutes", redact=False,
                           as_of=AS_OF, out_dir=tmp_path, engine=ENGINE_NAME,
                           engine_kwargs={"pool": pool})
    text = html_text_of(result.path)
    assert "Ana-Maria Krasniqi" in text and "3 prill 2012" in text


def test_the_batch_withholds_the_child_too(sqlite_store, leaky_cases, tmp_path):
    sqlite_store.import_cases(leaky_cases)
    options = batch.Options(kinds=("minutes", "care-plan", "invitation", "closure"),
                            store_url=sqlite_store.url, as_of=AS_OF, out_dir=tmp_path,
                            actor="batch-tester", started_at=dt.datetime.now(dt.UTC))
    summary = batch.render_batch(["PR-2026-0001", "GJ-2026-0001"], options, workers=1)
    assert not summary.failed
    assert {(o.case_id, o.kind) for o in summary.skipped} == {
        ("PR-2026-0001", "closure"), ("GJ-2026-0001", "invitation")}
    assert len(summary.rendered) == 6
    for outcome in summary.rendered:
        from pathlib import Path

        _check(html_text_of(Path(outcome.path)), f"batch {outcome.case_id} {outcome.kind}")

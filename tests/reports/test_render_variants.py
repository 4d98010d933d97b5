"""The whole table of identity variants (tests/access/redaction_table.py: lower case,
inflections, the other script, address parts, written dates) written into every free
text of a case, then each redacted report rendered for real: minutes, care plan,
invitation and closure, one by one in HTML and PDF and in a batch.  No variant may be
left in the HTML, the PDF's text or the executed notebook kept beside the report."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from cpkit.exchange import load_case
from cpkit.reports import batch
from cpkit.reports.engine import ENGINE_NAME
from cpkit.reports.render import render_report
from tests.access.redaction_table import append_to_free_text, variants_of
from tests.conftest import AS_OF, fixture_document
from tests.reports.document_text import html_text, pdf_text

IDENTITIES = ["case_high_physical.json", "case_cyrillic_emotional.json", "case_probation.json"]
KINDS = ("minutes", "care-plan", "invitation", "closure")


def _with_variants(template: str, identity: str, code: str) -> dict:
    """Case ``template`` about the child of ``identity``, coded ``code``, with every
    variant of that child appended to each free text the format accepts it in."""
    document = fixture_document(template)
    document["case_id"] = code
    document["child"] = fixture_document(identity)["child"]
    leak = " ".join(f"Seen: {v}." for v in variants_of(identity))
    assert append_to_free_text(document, leak) > 5
    return document


def _cases(identity: str, n: int) -> dict[str, dict]:
    """An open case (minutes, care plan, invitation) and a closed one (closure)."""
    return {f"PR-2026-000{n}": _with_variants("case_high_physical.json", identity,
                                              f"PR-2026-000{n}"),
            f"GJ-2026-000{n}": _with_variants("case_closed.json", identity, f"GJ-2026-000{n}")}


def _left(text: str, variants: list[str]) -> list[str]:
    """The variants still found in ``text`` (as whole words, spacing normalised)."""
    text = " ".join(text.split())
    return [v for v in variants
            if re.search(rf"(?<!\w){re.escape(' '.join(v.split()))}(?!\w)", text)]


def _notebook_texts(path: Path) -> list[str]:
    """Every string of the kept notebook, as stored, unescaped and as page text."""
    strings: list[str] = []

    def walk(value):
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(path.read_text(encoding="utf-8")))
    raw = "\n".join(strings)
    return [raw, html.unescape(raw), html_text(raw)]


def _assert_withheld(path: Path, fmt: str, variants: list[str], where: str) -> None:
    text = pdf_text(path) if fmt == "pdf" else html_text(path.read_text(encoding="utf-8"))
    assert not _left(text, variants), f"{where} {fmt}: {_left(text, variants)} left"
    notebook = path.with_suffix(".ipynb")
    assert notebook.is_file(), f"{where}: no notebook kept beside the report"
    for text in _notebook_texts(notebook):
        assert not _left(text, variants), f"{where} notebook: {_left(text, variants)} left"


def test_the_documents_carry_every_variant():
    for n, identity in enumerate(IDENTITIES, 1):
        for document in _cases(identity, n).values():
            concern = document["referral"]["concern"]
            assert all(v in concern for v in variants_of(identity)), identity


@pytest.mark.parametrize("fmt", ["html", "pdf"])
@pytest.mark.parametrize("identity", IDENTITIES)
def test_each_report_withholds_every_variant(sqlite_store, pool, tmp_path, identity, fmt):
    cases = _cases(identity, 1)
    sqlite_store.import_cases([load_case(d) for d in cases.values()])
    variants = variants_of(identity)
    rendered = []
    for kind in KINDS:
        code = "GJ-2026-0001" if kind == "closure" else "PR-2026-0001"
        result = render_report(sqlite_store, code, kind, fmt=fmt, as_of=AS_OF,
                               out_dir=tmp_path, engine=ENGINE_NAME,
                               engine_kwargs={"pool": pool})
        assert result.redacted and result.path.suffix == f".{fmt}"
        _assert_withheld(result.path, fmt, variants, f"{identity} {kind}")
        rendered.append(kind)
    assert rendered == list(KINDS)


def test_the_internal_copy_shows_them_so_the_check_can_fail(sqlite_store, pool, tmp_path):
    identity = IDENTITIES[0]
    sqlite_store.import_cases([load_case(d) for d in _cases(identity, 1).values()])
    result = render_report(sqlite_store, "PR-2026-0001", "minutes", redact=False, as_of=AS_OF,
                           out_dir=tmp_path, engine=ENGINE_NAME, engine_kwargs={"pool": pool})
    variants = variants_of(identity)
    assert _left(html_text(result.path.read_text(encoding="utf-8")), variants) == variants
    assert all(_left(text, variants) for text in _notebook_texts(result.notebook_path))


def test_the_batch_withholds_every_variant(sqlite_store, tmp_path):
    cases: dict[str, dict] = {}
    identity_of: dict[str, str] = {}
    for n, identity in enumerate(IDENTITIES, 1):
        for code, document in _cases(identity, n).items():
            cases[code] = document
            identity_of[code] = identity
    sqlite_store.import_cases([load_case(d) for d in cases.values()])
    options = batch.Options(kinds=KINDS, store_url=sqlite_store.url, as_of=AS_OF,
                            out_dir=tmp_path, actor="batch-tester",
                            started_at=dt.datetime.now(dt.UTC))
    summary = batch.render_batch(list(cases), options, workers=1)
    assert not summary.failed
    kinds_done = {(o.case_id[:2], o.kind) for o in summary.rendered}
    assert kinds_done == {("PR", "minutes"), ("PR", "care-plan"), ("PR", "invitation"),
                          ("GJ", "minutes"), ("GJ", "care-plan"), ("GJ", "closure")}
    assert len(summary.rendered) == 18
    for outcome in summary.rendered:
        _assert_withheld(Path(outcome.path), "html", variants_of(identity_of[outcome.case_id]),
                         f"batch {outcome.case_id} {outcome.kind}")

"""Batch rendering over the fixture cases: the summary, failures that stop nothing, and
the same files from one worker, two worker processes and a Dask LocalCluster."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import update

from cpkit import exchange
from cpkit.errors import BadInput
from cpkit.reports import batch
from cpkit.store.reports import report_rows
from cpkit.store.schema import cases
from tests.conftest import AS_OF, CASE_FILES, fixture_case, fixture_document, private_home

KINDS = ("minutes", "closure")
MISSING, BROKEN = "ZZ-2026-0099", "GR-2026-0001"
# (case, kind) -> expected status over the fixture cases
EXPECTED = {
    ("FE-2026-0001", "minutes"): "rendered", ("FE-2026-0001", "closure"): "skipped",
    ("GJ-2026-0001", "minutes"): "rendered", ("GJ-2026-0001", "closure"): "rendered",
    ("GR-2026-0001", "minutes"): "failed", ("GR-2026-0001", "closure"): "failed",
    ("GR-2026-0002", "minutes"): "skipped", ("GR-2026-0002", "closure"): "skipped",
    ("MI-2026-0001", "minutes"): "skipped", ("MI-2026-0001", "closure"): "skipped",
    ("PE-2026-0001", "minutes"): "rendered", ("PE-2026-0001", "closure"): "skipped",
    ("PR-2026-0001", "minutes"): "rendered", ("PR-2026-0001", "closure"): "skipped",
    ("PZ-2026-0001", "minutes"): "skipped", ("PZ-2026-0001", "closure"): "skipped",
    (MISSING, "minutes"): "failed", (MISSING, "closure"): "failed",
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The fixture cases (one corrupted in the database, one code unknown) rendered by
    one worker, by two worker processes, by two kernels in this process's threads and by a
    Dask LocalCluster."""
    home = tmp_path_factory.mktemp("batch-home")
    with private_home(home) as store:
        store.import_cases([fixture_case(n) for n in CASE_FILES])
        with store.engine.begin() as conn:  # a document no case model can read
            conn.execute(update(cases).where(cases.c.case_id == BROKEN)
                         .values(document='{"case_id": "GR-2026-0001", "child": "x"}'))
        codes = [r["case_id"] for r in store.summaries()] + [MISSING]

        def options(name):
            return batch.Options(kinds=KINDS, store_url=store.url, as_of=AS_OF,
                                 out_dir=home / name)

        out = {"one": batch.render_batch(codes, options("one"), workers=1),
               "two": batch.render_batch(codes, options("two"), workers=2),
               "threads": batch.render_batch(codes, options("threads"), kernels=2)}
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=1, processes=True, threads_per_worker=1,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            out["dask"] = batch.render_batch(codes, options("dask"), scheduler=client)
        out["rows"] = report_rows(store)
        out["home"] = home
    return out


def statuses(summary):
    return {(o.case_id, o.kind): o.status for o in summary.outcomes}


def test_summary_counts_rendered_skipped_and_failed(runs):
    summary = runs["one"]
    assert statuses(summary) == EXPECTED
    assert (summary.count("rendered"), summary.count("skipped"), summary.count("failed")) \
        == (5, 9, 4)


def test_reasons_say_why_and_name_the_case_code_only(runs):
    reasons = {(o.case_id, o.kind): o.reason for o in runs["one"].outcomes}
    assert "no meeting (CMR) has been held" in reasons[("MI-2026-0001", "minutes")]
    assert "the case is not closed" in reasons[("PR-2026-0001", "closure")]
    assert reasons[(MISSING, "minutes")] == f"{MISSING}: no such case in the store"
    assert reasons[(BROKEN, "minutes")] == "unexpected failure (ValidationError)"
    assert all(o.reason == "" for o in runs["one"].rendered)


def test_failures_stop_nothing_every_rendered_report_is_a_file_and_a_record(runs):
    for o in runs["one"].rendered:
        path = Path(o.path)
        assert path.is_file() and path.with_suffix(".ipynb").is_file()
        assert path.parent.name == o.case_id
        assert path.stat().st_mode & 0o777 == 0o600
    recorded = {(r["case_id"], r["kind"], r["sha256"]) for r in runs["rows"]}
    for o in runs["one"].rendered:
        assert (o.case_id, o.kind, o.sha256) in recorded


@pytest.mark.parametrize("run", ["two", "threads", "dask"])
def test_two_processes_two_kernels_in_threads_and_dask_give_the_same_reports(runs, run):
    assert statuses(runs[run]) == EXPECTED
    one = {(o.case_id, o.kind): o.sha256 for o in runs["one"].rendered}
    other = {(o.case_id, o.kind): o.sha256 for o in runs[run].rendered}
    assert other == one
    for o in runs[run].rendered:
        assert Path(o.path).is_relative_to(runs["home"] / run)


def test_case_selection(loaded_store, tmp_path):
    listed = tmp_path / "cases.txt"
    listed.write_text("# next CMR\nPR-2026-0001\n\nGJ-2026-0001  # closed\nPR-2026-0001\n")
    assert batch.select_cases(loaded_store, cases_file=listed) == ["PR-2026-0001",
                                                                   "GJ-2026-0001"]
    everyone = batch.select_cases(loaded_store, all_cases=True)
    assert everyone == sorted(everyone) and "MI-2026-0001" in everyone
    # after the review CMRs the fixtures planned, some preparation is overdue
    overdue = batch.select_cases(loaded_store, overdue=True, as_of=dt.date(2026, 12, 15))
    assert overdue and set(overdue) < set(everyone)
    assert batch.select_cases(loaded_store, overdue=True, as_of=dt.date(2000, 1, 1)) == []
    listed.write_text('PR-2026-0001\nx"; import os\n')
    with pytest.raises(BadInput, match="line 2: not a case code"):
        batch.select_cases(loaded_store, cases_file=listed)
    with pytest.raises(BadInput, match="exactly one"):
        batch.select_cases(loaded_store, all_cases=True, overdue=True)


def test_options_are_checked():
    with pytest.raises(BadInput):
        batch.Options(kinds=("letter",), store_url="sqlite://")
    with pytest.raises(BadInput):
        batch.Options(kinds=("minutes",), store_url="sqlite://", fmt="docx")


def test_a_pdf_batch_prints_in_other_processes_the_pdf_one_render_prints(tmp_path):
    # The batch hands the PDFs to printer processes (the one printer, run elsewhere, a
    # chunk's pages at once): the same bytes as cpkit render's own printing.
    from cpkit.reports.render import render_report

    document = fixture_document("case_high_physical.json")
    with private_home(tmp_path) as store:
        store.import_cases([exchange.load_case({**document, "case_id": code})
                            for code in ("PR-2026-0001", "PR-2026-0002")])
        options = batch.Options(kinds=("minutes",), store_url=store.url, as_of=AS_OF,
                                fmt="pdf", out_dir=tmp_path / "batch")
        summary = batch.render_batch(["PR-2026-0001", "PR-2026-0002"], options)
        alone = render_report(store, "PR-2026-0002", "minutes", fmt="pdf", as_of=AS_OF,
                              out_dir=tmp_path / "alone")
    first, second = summary.rendered
    assert Path(first.path).read_bytes()[:5] == b"%PDF-"
    assert second.sha256 == alone.sha256


def test_a_batch_renders_in_the_kernel_started_before_it_and_closes_it(tmp_path):
    # `cpkit render --all` starts its kernel before it reads the store (the start then
    # overlaps the host's imports): the batch uses that kernel, starts no other, and
    # closes the pool when done.
    from cpkit.reports.pool import KernelPool
    from cpkit.reports.render import KERNEL, kernel_env

    with private_home(tmp_path) as store:
        store.import_cases([fixture_case("case_high_physical.json")])
        options = batch.Options(kinds=("minutes",), store_url=store.url, as_of=AS_OF,
                                out_dir=tmp_path / "batch")
        early = KernelPool(size=1)
        early.prestart(KERNEL, kernel_env())
        summary = batch.render_batch(["PR-2026-0001"], options, pool=early)
    assert [o.status for o in summary.outcomes] == ["rendered"]
    assert early.started == 1 and early.closed


def test_a_pdf_batch_starts_no_more_printers_than_it_has_reports():
    # Each printer process imports cpkit and the PDF engine (over a second of CPU): two
    # reports, at most two; one report is printed by the batch's own process.
    printers = batch._printers(2)
    try:
        assert printers._max_workers == min(2, os.cpu_count())
        # A printer imports the engine, not the render pipeline (nbformat, the model)
        # it never uses: what it is asked to run comes from the light PDF module.
        loaded = printers.submit(eval, "sorted(__import__('sys').modules)").result()
    finally:
        printers.shutdown()
    assert "cpkit.reports.batch" not in loaded and "nbformat" not in loaded
    assert batch._printers(1) is None


def test_a_task_run_again_after_its_worker_died_between_row_and_files_records_once(
        tmp_path, monkeypatch):
    # A Dask worker killed after a report's row was committed but before its staged
    # files were renamed into place: the scheduler runs the task again elsewhere with
    # the same options.  The second run puts the staged files in place and records
    # nothing new (CI caught a report recorded twice this way).
    from cpkit.reports import render

    class Killed(Exception):
        pass

    def killed(part, path):
        raise Killed

    with private_home(tmp_path) as store:
        store.import_cases([fixture_case("case_high_physical.json")])
        options = dataclasses.replace(
            batch.Options(kinds=("minutes",), store_url=store.url, as_of=AS_OF,
                          out_dir=tmp_path / "shared"),
            started_at=dt.datetime.now(dt.UTC))
        with monkeypatch.context() as patched:
            patched.setattr(render, "place", killed)
            first = batch.render_batch(["PR-2026-0001"], options)
        assert [o.status for o in first.outcomes] == ["failed"]
        [row] = report_rows(store, "PR-2026-0001")
        assert not Path(row["path"]).exists()
        again = batch.render_batch(["PR-2026-0001"], options)
        [outcome] = again.outcomes
        assert (outcome.status, outcome.path) == ("rendered", row["path"])
        assert report_rows(store, "PR-2026-0001") == [row]
        path = Path(row["path"])
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"]
        assert path.with_suffix(".ipynb").is_file()
        assert not [p for p in path.parent.iterdir() if p.name.endswith(".part")]

"""The dashboard page driven as a browser would (widget values, button clicks)."""

import datetime as dt

from cpkit.dashboard.signoff import report_status
from cpkit.dashboard.widgets import Dashboard
from cpkit.store.reports import add_report
from tests.conftest import AS_OF, fixture_case
from tests.dashboard.helpers_dashboard import minimal_case


def _board(store, tmp_path):
    store.import_cases([fixture_case("case_high_physical.json"),
                        minimal_case("MI-2026-0801", dt.date(2026, 11, 2), manager="Sw. B"),
                        minimal_case("MI-2026-0802", dt.date(2026, 11, 2), training=True)])
    page = tmp_path / "minutes.html"
    page.write_text("<html><body>Minutes PR-2026-0001</body></html>", encoding="utf-8")
    import hashlib

    rid = add_report(store, case_id="PR-2026-0001", case_version=1, kind="minutes",
                     fmt="html", lang="en", redacted=True, meeting_date=dt.date(2026, 10, 29),
                     path=str(page), sha256=hashlib.sha256(page.read_bytes()).hexdigest())
    return Dashboard(store=store, today=AS_OF), rid


def _rows(board):
    return board.table.value.count("cpkit-case-row")


def test_filters_narrow_the_table_and_training_stays_out(sqlite_store, tmp_path):
    board, _rid = _board(sqlite_store, tmp_path)
    assert _rows(board) == 2 and "MI-2026-0802" not in board.table.value
    board.risk.value = "high"
    assert _rows(board) == 1 and "PR-2026-0001" in board.table.value
    board.risk.value = "__all__"
    board.manager.value = "Sw. B"
    assert _rows(board) == 1 and "MI-2026-0801" in board.table.value
    board.manager.value = "__all__"
    board.overdue_only.value = True
    late = set(board.board.caseload.loc[board.board.caseload["overdue"], "case_id"])
    assert _rows(board) == len(late)
    board.stage.value = "closed"
    assert "No case matches" in board.table.value
    assert "MI-2026-0802" not in board.overdue.value
    assert "MI-2026-0801" in board.overdue.value and "days late" in board.overdue.value
    assert "Erion" not in board.widget.children[3].value  # no child's name on the page


def test_view_return_and_approve_from_the_page(sqlite_store, tmp_path):
    board, rid = _board(sqlite_store, tmp_path)
    assert board.case.value == "PR-2026-0001"  # opens on the case with a report
    row = board.queue.children[0]
    view, approve, comment, send_back = row.children[1:5]
    view.click()
    assert "srcdoc" in board.viewer.value and "Minutes PR-2026-0001" in board.viewer.value
    send_back.click()  # no comment: refused, nothing recorded
    assert "comment" in board.message.value
    assert report_status(sqlite_store, rid).state == "awaiting"
    approve.click()
    assert report_status(sqlite_store, rid).state == "approved"
    assert "approved by test-assessor" in board.message.value
    assert "No report is awaiting sign-off" in board.queue.children[0].value


def test_a_pdf_report_opens_in_the_page_never_as_a_path(sqlite_store, tmp_path):
    import hashlib

    board, _rid = _board(sqlite_store, tmp_path)
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(b"%PDF-1.7 fictional")
    rid = add_report(sqlite_store, case_id="PR-2026-0001", case_version=1, kind="minutes",
                     fmt="pdf", lang="en", redacted=True, meeting_date=dt.date(2026, 10, 29),
                     path=str(pdf), sha256=hashlib.sha256(pdf.read_bytes()).hexdigest())
    board.refresh_reports()
    board.view(rid)
    shown = board.viewer.value
    assert "data:application/pdf;base64," in shown and "type='application/pdf'" in shown
    assert str(tmp_path) not in shown and "Download the PDF" in shown
    assert "PR-2026-0001 · CMR minutes · " in shown and "· minutes ·" not in shown


def test_a_changed_report_file_is_not_shown(sqlite_store, tmp_path):
    board, rid = _board(sqlite_store, tmp_path)
    (tmp_path / "minutes.html").write_text("<html>altered</html>", encoding="utf-8")
    board.view(rid)
    assert "altered" not in board.viewer.value and "changed since" in board.viewer.value


def test_render_latest_from_the_page(sqlite_store, tmp_path):
    """The button runs the real report pipeline; the new report waits for sign-off."""
    board, rid = _board(sqlite_store, tmp_path)
    board.case.value = "PR-2026-0001"
    board.kind.value = "minutes"
    board.render_button.click()
    assert "Rendered: CMR minutes of" in board.message.value, board.message.value
    statuses = [s for s in board.statuses if s.case_id == "PR-2026-0001"]
    assert len(statuses) == 2 and statuses[-1].report["kind"] == "minutes"
    assert statuses[-1].awaiting and statuses[-1].report_id != rid
    assert len(board.queue.children) == 2


def test_render_latest_uses_the_dashboard_s_warm_kernel_for_html_and_pdf(
        sqlite_store, tmp_path, monkeypatch):
    """The page's report kernel is started before the click and serves every render
    (wiped between them); the format chosen is the one rendered."""
    from cpkit.reports import pool as pools

    monkeypatch.setattr(pools, "_default", None)  # this test's own pool
    board, _rid = _board(sqlite_store, tmp_path)
    board.warm_report_kernel()
    pool = pools.default_pool()
    try:
        board.case.value, board.kind.value = "PR-2026-0001", "minutes"
        for fmt in ("html", "pdf"):
            board.fmt.value = fmt
            board.render_button.click()
            assert "Rendered: CMR minutes of" in board.message.value, board.message.value
        reports = [s.report for s in board.statuses if s.case_id == "PR-2026-0001"][1:]
        assert [r["format"] for r in reports] == ["html", "pdf"]
        assert open(reports[1]["path"], "rb").read(5) == b"%PDF-"
        assert pool.started == 1  # the kernel warmed before the click, for both reports
        [[kernel]] = pool._idle.values()
        assert kernel.cases == 2
    finally:
        pool.close()


def test_a_refresh_keeps_unchanged_report_rows_and_closes_the_rest(sqlite_store, tmp_path):
    """Rows are widgets in the kernel: a refresh reuses the ones that show the same (a
    comment being typed stays) and closes those no longer shown."""
    board, rid = _board(sqlite_store, tmp_path)
    [row] = board.queue.children
    comment = next(c for c in row.children if "cpkit-comment" in c._dom_classes)
    comment.value = "half-typed"
    board.refresh_reports()
    assert board.queue.children == (row,) and comment.value == "half-typed"
    case_row = board.case_reports.children[0]
    board.decide(rid, "approve")
    assert row.comm is None and case_row.comm is None  # closed: they showed "awaiting"
    assert all(part.comm is None for part in row.children)
    [approved] = board.case_reports.children
    assert approved.comm is not None and approved is not case_row

"""The real pipeline: papermill runs notebooks/case.ipynb in a kernel, nbconvert renders
it with the templates in reports/, WeasyPrint prints it.  The reports are rendered once
per module (each render starts a kernel) and the tests read the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import stat
import subprocess
from pathlib import Path

import pytest

from cpkit import exchange
from cpkit.reports.context import show_date
from cpkit.reports.pdf import html_to_pdf
from cpkit.reports.render import render_report
from cpkit.store.reports import report_rows
from tests.conftest import AS_OF, CASE_FILES, fixture_case, fixture_document, private_home

HOSTILE_WORD = "W" * 300
HOSTILE = ('<script>alert("x")</script> {{ 7*7 }} {% include "x" %} '
           "\"double\" 'single' & <b>bold</b> " + HOSTILE_WORD)

# (key, case, kind, options)
RENDERS = [
    ("minutes", "PR-2026-0001", "minutes", {}),
    ("minutes-again", "PR-2026-0001", "minutes", {}),
    ("minutes-internal", "PR-2026-0001", "minutes", {"redact": False}),
    ("minutes-pdf", "PR-2026-0001", "minutes", {"fmt": "pdf"}),
    ("minutes-pdf-internal", "PR-2026-0001", "minutes", {"fmt": "pdf", "redact": False}),
    ("closure", "GJ-2026-0001", "closure", {}),
    ("invitation", "PR-2026-0001", "invitation", {}),
    ("care-plan", "GR-2026-0002", "care-plan", {}),
    ("care-plan-internal", "GR-2026-0002", "care-plan", {"redact": False}),
    ("hostile", "HX-2026-0001", "minutes", {"redact": False}),
]


def hostile_case():
    """The high-risk fixture with hostile text in every kind of field."""
    doc = fixture_document("case_high_physical.json")
    doc["case_id"] = "HX-2026-0001"
    doc["child"]["given_name"] = "<script>evil()</script>"
    doc["referral"]["concern"] = HOSTILE
    doc["assessment"]["summary"] = HOSTILE
    doc["assessment"]["wellbeing"]["safety"]["notes"] = HOSTILE
    meeting = doc["meetings"][-1]
    meeting["discussion"] = HOSTILE
    meeting["decisions"] = [HOSTILE, "{% raw %}kept{% endraw %}"]
    meeting["participants"][0]["name"] = "<img src=x onerror=alert(1)>"
    meeting["participants"][0]["role"] = "'\"><b>" + "R" * 150
    doc["care_plan"]["actions"][0]["action"] = HOSTILE
    doc["care_plan"]["actions"][0]["id"] = "A" * 150
    return exchange.load_case(doc)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Render RENDERS into a private home; returns (home, store url, {key: report})."""
    home = tmp_path_factory.mktemp("render-home")
    with private_home(home) as store:
        store.import_cases([fixture_case(n) for n in CASE_FILES] + [hostile_case()])
        out, kept = {}, {}
        for key, code, kind, options in RENDERS:
            out[key] = render_report(store, code, kind, as_of=AS_OF, **options)
            kept[key] = out[key].notebook_path.read_bytes()
        rows = report_rows(store)
        audit = store.audit_rows(actor="test-assessor")
    return {"home": home, "reports": out, "kept": kept, "rows": rows, "audit": audit}


def text_of(report) -> str:
    if report.fmt == "pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(report.path), "-"],
                              check=True, capture_output=True, text=True).stdout
    return report.path.read_text(encoding="utf-8")


def identifying(code: str) -> list[str]:
    child = next(fixture_case(n) for n in CASE_FILES if fixture_case(n).case_id == code).child
    return [child.given_name, child.family_name, child.date_of_birth.isoformat(),
            show_date(child.date_of_birth), child.address, child.address[:14]]


def test_minutes_html_is_a_complete_offline_page(rendered):
    report = rendered["reports"]["minutes"]
    page = text_of(report)
    assert page.startswith("<!DOCTYPE html>")
    for section in ("minutes-client", "minutes-assessment", "minutes-action-plan",
                    "minutes-review", "minutes-participants", "minutes-signatures"):
        assert f'id="{section}"' in page
    assert "Minutes of the Case Management Roundtable (CMR)" in page
    assert "29.10.2026" in page and "PR-2026-0001" in page
    assert "@page" in page and "counter(pages)" in page and "string(confidential)" in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", page)
    assert "def " not in page and "open_case" not in page  # no input cells


@pytest.mark.parametrize("key", ["minutes", "minutes-pdf", "closure", "invitation",
                                 "care-plan"])
def test_redacted_copies_hold_no_identifying_value(rendered, key):
    report = rendered["reports"][key]
    text = text_of(report)
    assert report.case_id in text
    for value in identifying(report.case_id):
        assert value.lower() not in text.lower(), f"{key} leaks an identifying value"
    kept = report.notebook_path.read_text(encoding="utf-8")
    for value in identifying(report.case_id):
        assert json.dumps(value, ensure_ascii=False)[1:-1].lower() not in kept.lower()


@pytest.mark.parametrize("key", ["minutes-internal", "minutes-pdf-internal",
                                 "care-plan-internal"])
def test_task_force_copies_name_the_child(rendered, key):
    report = rendered["reports"][key]
    text = text_of(report)
    given, family, iso, shown, *_ = identifying(report.case_id)
    assert given in text and family in text and shown in text
    assert "internal" in report.path.name
    assert given not in report.path.name


def test_pdf_is_a4_with_the_case_code_and_confidential_on_every_page(rendered):
    report = rendered["reports"]["minutes-pdf"]
    info = subprocess.run(["pdfinfo", str(report.path)], capture_output=True, text=True,
                          check=True).stdout
    assert "595.28 x 841.89" in info or "A4" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2
    for number in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number),
                               str(report.path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "PR-2026-0001" in text and "CONFIDENTIAL" in text
        assert re.search(rf"\b{number}\s*/\s*{pages}\b", text)


def test_same_case_gives_the_same_bytes(rendered):
    first, again = rendered["reports"]["minutes"], rendered["reports"]["minutes-again"]
    assert first.path == again.path and first.sha256 == again.sha256
    assert rendered["kept"]["minutes"] == rendered["kept"]["minutes-again"]
    html_text = first.path.read_text(encoding="utf-8")
    assert html_to_pdf(html_text) == html_to_pdf(html_text)
    kept = json.loads(first.notebook_path.read_text(encoding="utf-8"))
    assert "start_time" not in json.dumps(kept["metadata"]["papermill"])
    assert kept["metadata"]["papermill"]["parameters"]["case_id"] == "PR-2026-0001"
    for cell in kept["cells"]:
        assert "execution" not in cell["metadata"] and "papermill" not in cell["metadata"]


def test_files_are_private_and_named_by_code_kind_and_date(rendered):
    home = rendered["home"]
    report = rendered["reports"]["minutes"]
    assert report.path == home / "reports" / "PR-2026-0001" / "PR-2026-0001_minutes_2026-10-29.html"
    assert report.notebook_path.exists()
    for path in (report.path, report.notebook_path, rendered["reports"]["minutes-pdf"].path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (home / "reports", home / "reports" / "PR-2026-0001"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_every_render_is_recorded_and_audited(rendered):
    rows = rendered["rows"]
    assert len(rows) == len(RENDERS)
    by_path = {}
    for row in rows:
        by_path.setdefault(row["path"], []).append(row)
    report = rendered["reports"]["closure"]
    row = next(r for r in rows if r["id"] == report.report_id)
    assert row["case_id"] == "GJ-2026-0001" and row["case_version"] == 1
    assert row["kind"] == "closure" and row["format"] == "html" and row["redacted"]
    assert row["actor"] == "test-assessor" and row["lang"] == "en"
    assert row["sha256"] == hashlib.sha256(report.path.read_bytes()).hexdigest()
    renders = [a for a in rendered["audit"] if a["action"] == "render"]
    assert len(renders) == len(RENDERS)
    assert {a["detail"]["report_id"] for a in renders} == {r["id"] for r in rows}
    for entry in renders:
        assert "Valmir" not in json.dumps(entry["detail"], ensure_ascii=False)


def test_hostile_text_is_escaped_and_kept_literally(rendered):
    from bs4 import BeautifulSoup

    report = rendered["reports"]["hostile"]
    page = report.path.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror" in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find_all("script") == [] and soup.find_all("b") == []
    assert all(img["src"].startswith("data:image/png;base64,") for img in soup.find_all("img"))
    text = soup.get_text()
    assert HOSTILE in text  # shown literally: tags, quotes, {{ }} and {% %} as typed
    assert "{% raw %}kept{% endraw %}" in text and "49" not in text.replace("2049", "")
    assert "<img src=x onerror=alert(1)>" in text
    assert "A" * 150 in text


def test_hostile_text_does_not_break_the_printed_page(rendered):
    import weasyprint

    page = rendered["reports"]["hostile"].path.read_text(encoding="utf-8")
    document = weasyprint.HTML(string=page).render()
    for number, pdf_page in enumerate(document.pages, 1):
        box = pdf_page._page_box
        right = box.margin_width()
        for child in box.descendants():
            if hasattr(child, "position_x") and hasattr(child, "margin_width"):
                edge = child.position_x + child.margin_width()
                assert edge <= right + 1, f"page {number}: a box runs off the page"


def test_meetings_in_the_minutes_match_the_case(rendered):
    page = rendered["reports"]["minutes-internal"].path.read_text(encoding="utf-8")
    case = fixture_case("case_high_physical.json")
    meeting = case.meetings[-1]
    assert html.escape(meeting.discussion) in page
    assert all(html.escape(p.name) in page for p in meeting.participants)
    assert dt.date(2026, 10, 29).strftime("%d.%m.%Y") in page
    assert Path(rendered["reports"]["minutes-internal"].path).name.endswith("_internal.html")

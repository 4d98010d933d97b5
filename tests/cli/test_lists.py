"""``cpkit list`` and ``cpkit deadlines``: the streamed table says what the JSON says."""

import csv
import io
import json

import pytest

from cpkit.cli import main
from cpkit.cli.output import GAP
from tests.conftest import FIXTURES

AS_OF = "2026-12-31"  # some deadlines overdue, some not



def table_rows(text: str) -> list[list[str]]:
    """The cells of a text table, cut at the columns its rule line marks."""
    lines = text.splitlines()
    rule = lines[1]
    spans, start = [], 0
    for width in (len(dashes) for dashes in rule.split(GAP)):
        spans.append((start, start + width))
        start += width + len(GAP)
    spans[-1] = (spans[-1][0], None)  # the last column may run wider
    return [[line[a:b].strip() for a, b in spans] for line in lines[2:]]


def shown(value) -> str:
    return "-" if value is None else str(value)


@pytest.mark.parametrize("args", [[], ["--overdue"], ["--risk", "high"]])
def test_list_table_is_the_json(runner, args):
    args = ["list", "--as-of", AS_OF, *args]
    table = table_rows(runner.invoke(main, args).stdout)
    rows = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert rows and len(table) == len(rows)
    assert table == [[r["case_id"], shown(r["overall_risk"]), r["stage"],
                      shown(r["case_manager"]), shown(r["next_kind"]), shown(r["next_due"]),
                      "overdue" if r["status"] == "overdue" else ""] for r in rows]
    assert any(r["status"] == "overdue" for r in rows) or "--risk" in args


@pytest.mark.parametrize("overdue", [False, True])
def test_deadlines_table_json_and_csv_agree(runner, overdue):
    args = ["deadlines", "--as-of", AS_OF] + (["--overdue"] if overdue else [])
    table = table_rows(runner.invoke(main, args).stdout)
    rows = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert rows and len(table) == len(rows)
    assert table == [[r["case_id"], r["name"], r["due"], r["status"],
                      str(r["days_late"]) if r["days_late"] else "", shown(r["case_manager"])]
                     for r in rows]
    assert any(r["status"] == "overdue" for r in rows)
    assert all(r["status"] == "overdue" for r in rows) or not overdue
    got = list(csv.DictReader(io.StringIO(runner.invoke(main, [*args, "--format", "csv"]).stdout)))
    assert got == [
        {k: "" if v is None else str(v) for k, v in r.items()} for r in rows]


def test_an_empty_list_is_valid_json_and_a_header_only_table(runner):
    args = ["list", "--manager", "nobody at all"]
    assert json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout) == []
    assert len(runner.invoke(main, args).stdout.splitlines()) == 2


def test_control_characters_in_a_stored_value_never_reach_the_terminal(runner, tmp_path):
    case = json.loads((FIXTURES / "case_minimal.json").read_text())
    case["case_id"], case["case_manager"] = "MI-2026-0099", "Evil\x1b]0;pwned\x07 Name"
    path = tmp_path / "escape.json"
    path.write_text(json.dumps(case))
    assert runner.invoke(main, ["import", str(path)]).exit_code == 0
    out = runner.invoke(main, ["list"]).stdout
    assert "\x1b" not in out and "\x07" not in out and "Evil]0;pwned Name" in out


def _codes(runner, *args) -> list[str]:
    result = runner.invoke(main, ["list", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return [r["case_id"] for r in json.loads(result.stdout)]


def test_risk_and_manager_list_the_open_cases_and_with_closed_the_closed_too(runner):
    closed = json.loads((FIXTURES / "case_closed.json").read_text())
    code, manager = closed["case_id"], closed["case_manager"]
    assert code in _codes(runner)  # the whole caseload: closed cases too
    risk = next(r["overall_risk"] for r in json.loads(runner.invoke(
        main, ["list", "--format", "json"]).stdout) if r["case_id"] == code)
    for args in (["--risk", risk], ["--manager", manager]):
        open_now = _codes(runner, *args)
        every = _codes(runner, *args, "--with-closed")
        assert code not in open_now and code in every
        assert set(open_now) == set(every) - {code}
    assert _codes(runner, "--risk", risk)  # an open case at that risk is still listed

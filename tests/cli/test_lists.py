"""``cpkit list`` and ``cpkit deadlines``: the streamed table says what the JSON says."""

import csv
import io
import json

import pytest

from cpkit.cli import main
from cpkit.cli.output import GAP
from cpkit.dashboard.labels import risk_label
from cpkit.dashboard.table import kind_of, meeting_of
from cpkit.rules import timescales
from cpkit.rules.stages import stage_label
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


def deadline(name) -> str:
    """A stored deadline name as the table shows it: its kind's label, and the
    meeting's date for one that comes with each meeting."""
    if not name:
        return "-"
    text = timescales.label(kind_of(name))
    return f"{text} ({meeting_of(name)})" if meeting_of(name) else text


@pytest.mark.parametrize("args", [[], ["--overdue"], ["--risk", "high"]])
def test_list_table_is_the_json(runner, args):
    args = ["list", "--as-of", AS_OF, *args]
    table = table_rows(runner.invoke(main, args).stdout)
    rows = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert rows and len(table) == len(rows)
    assert table == [[r["case_id"], risk_label(r["overall_risk"]), stage_label(r["stage"]),
                      shown(r["case_manager"]), deadline(r["next_kind"]), shown(r["next_due"]),
                      "overdue" if r["status"] == "overdue" else ""] for r in rows]
    assert any(r["status"] == "overdue" for r in rows) or "--risk" in args


@pytest.mark.parametrize("overdue", [False, True])
def test_deadlines_table_json_and_csv_agree(runner, overdue):
    args = ["deadlines", "--as-of", AS_OF] + (["--overdue"] if overdue else [])
    table = table_rows(runner.invoke(main, args).stdout)
    rows = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert rows and len(table) == len(rows)
    assert table == [[r["case_id"], deadline(r["name"]), r["due"],
                      "overdue" if r["status"] == "overdue" else "",
                      str(r["days_late"]) if r["days_late"] else "", shown(r["case_manager"])]
                     for r in rows]
    assert any(r["status"] == "overdue" for r in rows)
    assert all(r["status"] == "overdue" for r in rows) or not overdue
    got = list(csv.DictReader(io.StringIO(runner.invoke(main, [*args, "--format", "csv"]).stdout)))
    assert got == [
        {k: "" if v is None else str(v) for k, v in r.items()} for r in rows]


@pytest.mark.parametrize("lang", ["sq", "sr", "sr-Cyrl"])
def test_a_table_shows_the_words_of_the_users_language_never_a_key(runner, monkeypatch,
                                                                     lang):
    """The JSON and CSV carry keys (stable, for programs); the table, for people, the
    protocol's words in the user's language: risk levels, stages, deadline names."""
    rows = {}
    for command in ("list", "deadlines"):
        args = [command, "--as-of", AS_OF]
        rows[command] = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    monkeypatch.setenv("CPKIT_LANG", lang)
    keys = {r[k] for r in rows["list"] for k in ("overall_risk", "stage") if r[k]}
    keys |= {kind_of(r[k]) for r in rows["list"] for k in ("next_kind",) if r[k]}
    keys |= {kind_of(r["name"]) for r in rows["deadlines"]} | {"overdue"}
    for command in ("list", "deadlines"):
        cells = {c for row in table_rows(runner.invoke(main, [command, "--as-of", AS_OF]
                                                      ).stdout) for c in row}
        words = {w.strip("()") for c in cells for w in c.split()}
        assert not keys & (cells | words), (command, keys & (cells | words))
    assert rows["deadlines"] and keys


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

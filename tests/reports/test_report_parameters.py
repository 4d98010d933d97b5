"""Parameters reach the notebook's code only when their names and values are the
expected ones: crafted names or values are refused before papermill runs anything."""

from __future__ import annotations

import ast

import pytest

from cpkit.errors import BadInput
from cpkit.reports import parameters
from cpkit.reports.render import parameterize, render_report
from cpkit.store.reports import report_rows


def test_defaults_fill_in_and_good_values_pass():
    assert parameters.check({}) == parameters.DEFAULTS
    got = parameters.check({"case_id": "PR-2026-0001", "report": "minutes",
                            "meeting_date": "2026-10-29", "lang": "sr-Cyrl",
                            "redact": False, "as_of": "2026-11-22"})
    assert got["case_id"] == "PR-2026-0001" and got["redact"] is False


@pytest.mark.parametrize("params", [
    {"case_id": 'x"; import os; os.system("echo pwned")#'},
    {"case_id": "x'\n__import__('os').system('id')"},
    {"case_id": "PR-2026-0001\\"},
    {"case_id": "../../etc/passwd"},
    {"case_id": "A" * 41},
    {"case_id": ["PR-2026-0001"]},
    {"case_id": {"$ne": ""}},
    {"case_id": b"PR-2026-0001"},
    {"case_id": True},
    {"case_id": 12},
    {"report": "minutes; import os"},
    {"report": "case-file"},
    {"meeting_date": "2026-13-01"},
    {"meeting_date": "2026-02-30"},
    {"meeting_date": "29.10.2026"},
    {"as_of": "2026-11-22T00:00"},
    {"lang": "en\"); import os #"},
    {"redact": 1},
    {"redact": "false"},
    {"redact": None},
    {"x = 1; import os; os.system('id') #": "a"},
    {"__builtins__": "a"},
    {"case_id": "PR-2026-0001", "extra": "x"},
])
def test_crafted_names_and_values_are_refused(params):
    with pytest.raises(BadInput):
        parameters.check(params)
    with pytest.raises(BadInput):
        parameterize({"report": "case", **params})


def test_the_injected_cell_is_plain_assignments_of_the_given_values():
    nb = parameterize({"case_id": "PR-2026-0001", "report": "minutes", "redact": False})
    cell = next(c for c in nb.cells if "injected-parameters" in c.metadata["tags"])
    tree = ast.parse(cell.source)
    assigned = {node.targets[0].id: node.value.value for node in tree.body}
    assert assigned == {**parameters.DEFAULTS, "case_id": "PR-2026-0001",
                        "report": "minutes", "redact": False}
    assert cell.id == "injected-parameters"


@pytest.mark.parametrize("source", [
    'case_id = "PR-2026-0001"\nimport os\n',
    'case_id = "PR-2026-0001"; os.system("id")\n',
    'case_id = __import__("os").getcwd()\n',
    'case_id = "PR-2026-0002"\n',
    'case_id = "PR-2026-0001"\nreport = "minutes"\n',
    'case_id = "PR-2026-0001\n',
])
def test_a_cell_that_does_more_than_assign_is_refused(source):
    with pytest.raises(BadInput):
        parameters.check_source(source, {"case_id": "PR-2026-0001"})


def test_render_refuses_a_crafted_case_code_and_runs_nothing(sqlite_store, tmp_path):
    marker = tmp_path / "pwned"
    crafted = f'x"; import os; os.system("touch {marker}")#'
    out = tmp_path / "out"
    with pytest.raises(BadInput):
        render_report(sqlite_store, crafted, "minutes", out_dir=out)
    assert not marker.exists()
    assert not out.exists()
    assert report_rows(sqlite_store) == []
    assert [a for a in sqlite_store.audit_rows() if a["action"] == "render"] == []

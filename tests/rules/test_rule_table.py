"""docs/protocol-rules.md and the rules agree: one row per registered rule (kind and
function as registered), every test a row names exists, every test that claims a rule
(``@pytest.mark.rule``) claims one in the table, and each refusal or warning is tested
in both directions with the protocol's words in the docstring."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cpkit.rules.registry import all_rules

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "protocol-rules.md"
ROW = re.compile(r"^\| `([a-z_0-9.]+)` \|")
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
DIRECTIONS = {"refusal": {"allows", "refuses"}, "warning": {"allows", "warns"},
              "derived": {"derives"}}


def table_rows() -> dict[str, list[str]]:
    """Rule id -> the row's cells (id, words, where, kind, decision, function, tests)."""
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            assert match.group(1) not in rows, f"two rows for {match.group(1)}"
            rows[match.group(1)] = cells
    return rows


def functions_of(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
            and n.name.startswith("test_")}


def claimed_rules() -> list[tuple[str, str, str, ast.FunctionDef]]:
    """Every ``@pytest.mark.rule(id, direction)`` in the tests: (id, direction, test ref,
    the test function)."""
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for name, node in functions_of(path).items():
            for deco in node.decorator_list:
                if (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)
                        and deco.func.attr == "rule"):
                    rule_id, direction = (arg.value for arg in deco.args)
                    ref = f"{path.relative_to(ROOT)}::{name}"
                    found.append((rule_id, direction, ref, node))
    return found


def test_every_rule_function_has_a_row_and_every_row_a_rule():
    rows, rules = table_rows(), all_rules()
    assert sorted(set(rules) - set(rows)) == [], "rules without a row in docs/protocol-rules.md"
    assert sorted(set(rows) - set(rules)) == [], "rows naming no registered rule"


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_the_row_states_the_rules_kind_function_and_words(rule_id):
    rule = all_rules()[rule_id]
    _id, words, where, kind, decision, function, _tests = table_rows()[rule_id]
    assert kind == rule.kind
    assert function == f"`{rule.qualname}`"
    assert words.replace("\\|", "|").strip('"') == rule.words
    assert where == rule.where and decision


def test_every_test_a_row_names_exists():
    missing = []
    for rule_id, cells in table_rows().items():
        refs = TEST_REF.findall(cells[6])
        assert refs, f"{rule_id}: the row names no test"
        for path, name in refs:
            if not (ROOT / path).exists() or name not in functions_of(ROOT / path):
                missing.append(f"{rule_id}: {path}::{name}")
    assert missing == []


def test_every_claimed_rule_is_in_the_table_and_lists_the_test():
    rows = table_rows()
    unknown = [f"{ref} claims {rule_id}" for rule_id, _d, ref, _n in claimed_rules()
               if rule_id not in rows]
    assert unknown == []
    unlisted = [f"{ref} ({rule_id})" for rule_id, _d, ref, _n in claimed_rules()
                if f"`{ref}`" not in rows[rule_id][6]]
    assert unlisted == []


def test_each_rule_is_proved_in_both_directions_with_the_protocols_words():
    by_rule: dict[str, set[str]] = {}
    for rule_id, direction, ref, node in claimed_rules():
        kind = all_rules()[rule_id].kind
        assert direction in DIRECTIONS[kind], f"{ref}: {direction} for a {kind} rule"
        docstring = ast.get_docstring(node) or ""
        assert '"' in docstring, f"{ref}: no protocol sentence quoted in the docstring"
        by_rule.setdefault(rule_id, set()).add(direction)
    lacking = {rule_id: sorted(DIRECTIONS[rule.kind] - by_rule.get(rule_id, set()))
               for rule_id, rule in all_rules().items()
               if DIRECTIONS[rule.kind] - by_rule.get(rule_id, set())}
    assert lacking == {}


def test_the_bad_input_table_has_a_document_for_every_refusal():
    """The bad-input table grows by every refusal: each refusal's field is named by a
    malformed document in tests/fixtures/bad/index.json."""
    import json

    index = json.loads((ROOT / "tests" / "fixtures" / "bad" / "index.json").read_text())
    fields = {entry["field"] for entry in index}
    bad_for = {
        "closure.cmr_agreement": "closure.agreed_at_meeting", "closure.risk_reduced":
        "closure.reason", "closure.over_18": "closure.reason", "closure.moved_to":
        "closure.moved_to", "closure.views": "closure.child_views", "closure.transfer":
        "closure.transferred_to", "closure.art5_criteria": "closure.no_further_coordination",
        "consent.reason": "consent.shared_without_consent_reason", "consent.management":
        "consent.disclosure_agreed_by", "child.age_at_referral": "child.date_of_birth",
        "cmr.unaccompanied_agreed_lower": "meetings[1].agreed_risk_level",
        "care_plan.agreed_actions_complete": "care_plan.actions[0].contingency",
    }
    refusals = {r for r, rule in all_rules().items() if rule.kind == "refusal"}
    assert refusals <= set(bad_for), f"add a bad document for {sorted(refusals - set(bad_for))}"
    assert {bad_for[r] for r in refusals} <= fields

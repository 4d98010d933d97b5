"""Hostile input: path traversal in codes and file names, template and markup
injection in every text field (stored and shown literally), oversized payloads."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from cpkit.access import Guard, child_file
from cpkit.cli import main
from cpkit.errors import BadInput, CpkitError
from cpkit.exchange import load_case
from cpkit.paths import safe_component, safe_join
from tests.conftest import AS_OF, fixture_document

TRAVERSAL = ["../etc/passwd", "..", ".", "a/b", "a\\b", "x\x00y", "/abs", ".hidden", "",
             "con\nsole", "..\\..\\win"]
PAYLOAD = "{{7*7}} {0} {name} %s ${x} <script>alert(1)</script> {% raw %} ' \" &amp;"


@pytest.mark.parametrize("text", TRAVERSAL)
def test_safe_component_refuses_unsafe_names(text):
    with pytest.raises(BadInput):
        safe_component(text)
    cleaned = safe_component(text, strict=False)
    assert cleaned and "/" not in cleaned and "\\" not in cleaned and "\x00" not in cleaned
    assert not cleaned.startswith(".")


def test_safe_component_keeps_case_codes_and_join_stays_inside(tmp_path):
    assert safe_component("PR-2026-0001") == "PR-2026-0001"
    assert safe_component("Përmbledhje Ђ") == "Përmbledhje Ђ"
    inside = safe_join(tmp_path, "..", "../../etc", "minutes.pdf")
    assert tmp_path.resolve() in inside.parents


@pytest.mark.parametrize("code", ["../../etc/passwd", "PR-2026-0001/../x", "..", "%2e%2e"])
def test_traversal_in_case_codes_on_the_command_line(access_store, code):
    for args in (["show", code], ["export", code], ["export", code, "--for-child"],
                 ["audit", code]):
        result = CliRunner().invoke(main, args, env={"CPKIT_USER": "sara"})
        assert result.exit_code == 2, (args, result.output)
        assert "no such case" in result.stderr
        assert "Traceback" not in result.output


def test_traversal_in_imported_case_code(tmp_path, cpkit_home):
    document = fixture_document("case_minimal.json")
    document["case_id"] = "../../evil"
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 2 and "case_id" in result.stderr


def _inject_everywhere(document: dict) -> tuple[dict, int]:
    """Put PAYLOAD into every text field the format accepts it in; count them."""
    count = 0

    def walk(value, path):
        nonlocal count
        if isinstance(value, dict):
            for key in list(value):
                value[key] = walk(value[key], f"{path}.{key}")
            return value
        if isinstance(value, list):
            return [walk(item, f"{path}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, str) and path not in (".format", ".case_id"):
            candidate = json.loads(json.dumps(trial))
            _set(candidate, path, PAYLOAD + value)
            try:
                load_case(candidate)
            except (CpkitError, ValidationError):
                return value
            count += 1
            return PAYLOAD + value
        return value

    trial = json.loads(json.dumps(document))
    walk(trial, "")
    return trial, count


def _set(document: dict, path: str, value) -> None:
    import re

    steps = [s for s in re.split(r"\.|\[(\d+)\]", path) if s]
    target = document
    for step in steps[:-1]:
        target = target[int(step)] if step.isdigit() else target[step]
    last = steps[-1]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value


def test_template_injection_is_stored_and_shown_literally(sqlite_store):
    document, count = _inject_everywhere(fixture_document("case_probation.json"))
    assert count > 60  # names, texts, views, decisions, actions, progress notes ...
    case = load_case(document)
    guard = Guard.for_user(sqlite_store)
    guard.import_cases([case])
    stored = guard.get("PE-2026-0001").case
    assert stored.to_document() == case.to_document()
    assert stored.child.given_name.startswith(PAYLOAD)
    text = child_file.as_text(stored, AS_OF)
    assert text.count(PAYLOAD) >= 30 and "49" not in text.split("{{7*7}}")[0][-3:]
    html = child_file.as_html(stored, AS_OF)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{7*7}} {0} {name} %s ${x}" in html
    from cpkit.summary_text import case_summary

    assert PAYLOAD in case_summary(stored, AS_OF)


def test_injection_shown_literally_through_cli(tmp_path, cpkit_home):
    document, _ = _inject_everywhere(fixture_document("case_high_physical.json"))
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(path)]).exit_code == 0
    shown = runner.invoke(main, ["show", "PR-2026-0001"])
    assert shown.exit_code == 0 and PAYLOAD in shown.stdout
    exported = runner.invoke(main, ["export", "PR-2026-0001"])
    assert json.loads(exported.stdout)["referral"]["concern"].startswith(PAYLOAD)


@pytest.mark.parametrize(("field", "path", "size"), [
    ("referral.concern", ("referral", "concern"), 20_001),
    ("assessment.summary", ("assessment", "summary"), 20_001),
    ("child.given_name", ("child", "given_name"), 201),
    ("child.address", ("child", "address"), 20_001),
])
def test_oversized_payloads_refused_with_the_field_named(tmp_path, cpkit_home, field, path,
                                                         size):
    document = fixture_document("case_high_physical.json")
    document[path[0]][path[1]] = "x" * size
    source = tmp_path / "big.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(source)])
    assert result.exit_code == 2
    assert field in result.stderr
    assert "x" * 50 not in result.stderr  # the value is not echoed back


def test_oversized_user_fields_refused(cpkit_home):
    runner = CliRunner()
    result = runner.invoke(main, ["user", "add", "n" * 300, "--role", "admin"])
    assert result.exit_code == 2 and "name: too long" in result.stderr
    result = runner.invoke(main, ["user", "add", "boss", "--role", "admin",
                                  "--display-name", "d" * 300])
    assert result.exit_code == 2 and "display_name: too long" in result.stderr
    result = runner.invoke(main, ["user", "add", "bo\x1bss", "--role", "admin"])
    assert result.exit_code == 2 and "control characters" in result.stderr


def test_a_40_mb_unknown_key_is_refused_by_name_and_nothing_stored(tmp_path, cpkit_home):
    document = fixture_document("case_high_physical.json")
    document["x_notes"] = "y" * (40 * 2**20)
    source = tmp_path / "huge.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(source)])
    assert result.exit_code == 2, result.output
    assert "x_notes" in result.stderr and "y" * 50 not in result.stderr
    assert "Traceback" not in result.output
    assert json.loads(CliRunner().invoke(main, ["export", "--all"]).stdout or "[]") == []

"""Reading and writing the case exchange format (JSON, JSON arrays, JSON Lines).

Every problem found is reported with the case, the field path and what is wrong,
e.g. ``cases[3] (PR-2026-0004): assessment.risk_factors.site_of_injury: 'severe' is
not one of low, medium, high``.  Nothing here writes anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from cpkit.errors import BadInput, FieldProblem, InvalidCase, show_value
from cpkit.i18n import N_, _
from cpkit.model import CASE_ID_PATTERN, FORMAT, Case
from cpkit.rules.checks import case_problems
from cpkit.rules.summary import derived

MAX_FILE_BYTES = 256 * 1024 * 1024


def parse_documents(text: str, source: str = "input") -> tuple[list[object], bool]:
    """Split ``text`` into documents: one object, a JSON array, or JSON Lines.

    Returns the documents and whether they came as a collection (array or lines).
    """
    stripped = text.lstrip()
    if not stripped:
        raise BadInput(f"{source}: the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as first:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2 or not _is_json(lines[0]):
            raise _json_error(source, first) from None
        docs = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    docs.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise BadInput(f"{source}: line {number}: not valid JSON "
                                   f"({err.msg} at column {err.colno})") from None
        return docs, True
    return (data, True) if isinstance(data, list) else ([data], False)


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


def _json_error(source: str, err: json.JSONDecodeError) -> BadInput:
    return BadInput(f"{source}: not valid JSON ({err.msg} at line {err.lineno}, "
                    f"column {err.colno})")


def read_file(path: str | Path) -> tuple[list[object], bool]:
    """Read the documents of one file, refusing what is not UTF-8 JSON."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BadInput(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB")
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 (byte {err.start})") from None
    return parse_documents(text, str(path))


def load_case(document: object, label: str = "") -> Case:
    """Validate one document into a :class:`Case`, with the protocol's rules applied.

    The ``derived`` block is dropped: it is recomputed, never trusted.
    """
    if not isinstance(document, dict):
        raise InvalidCase([FieldProblem("", "a case must be a JSON object", label)])
    document = {k: v for k, v in document.items() if k != "derived"}
    case_label = _case_label(label, document)
    if document.get("format") != FORMAT:
        got = document.get("format")
        problem = "is missing" if got is None else f"{show_value('format', got)} is not {FORMAT!r}"
        raise InvalidCase([FieldProblem("format", problem, case_label)])
    try:
        case = Case.model_validate(document)
    except ValidationError as err:
        raise InvalidCase(_problems(err, case_label)) from None
    problems = case_problems(case)
    if problems:
        raise InvalidCase([FieldProblem(p.path, p.message, case_label) for p in problems])
    case.mark_validated(document)
    return case


def _case_label(label: str, document: dict) -> str:
    case_id = document.get("case_id")
    code = case_id if isinstance(case_id, str) and re.match(CASE_ID_PATTERN, case_id) else None
    if label and code:
        return f"{label} ({code})"
    return label or code or ""


def load_cases(documents: list[object], collection: bool = True,
               progress: Callable[[int], object] | None = None) -> list[Case]:
    """Validate every document; all problems of all documents are reported together.

    ``progress(1)`` is called after each document (a progress bar's ``update``)."""
    cases, problems = [], []
    for i, document in enumerate(documents):
        try:
            cases.append(load_case(document, f"cases[{i}]" if collection else ""))
        except InvalidCase as err:
            problems.extend(err.problems)
        if progress is not None:
            progress(1)
    problems.extend(_duplicate_codes(cases, collection))
    if problems:
        raise InvalidCase(problems)
    return cases


def _duplicate_codes(cases: list[Case], collection: bool) -> list[FieldProblem]:
    seen: dict[str, int] = {}
    problems = []
    for i, case in enumerate(cases):
        if case.case_id is None:
            continue
        if case.case_id in seen:
            problems.append(FieldProblem(
                "case_id", f"{case.case_id!r} is used again (first at cases[{seen[case.case_id]}])",
                f"cases[{i}]"))
        seen.setdefault(case.case_id, i)
    return problems


def _problems(err: ValidationError, label: str) -> list[FieldProblem]:
    return [FieldProblem(_path(e["loc"]), _message(e), label) for e in err.errors()]


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith(("literal[", "function-")):
            out += f".{part}" if out else str(part)
    return out


def _message(error: dict) -> str:
    """The problem in words, in the user's language (templates first, values after)."""
    path = _path(error["loc"])
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    shown = show_value(path, value)
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return _("{value} is not one of {allowed}").format(value=shown, allowed=allowed)
    if kind == "missing":
        return _("is required")
    if kind == "extra_forbidden":
        return _("is not a field of the format here")
    if kind == "string_too_long":
        return _("is too long ({count} characters; at most {limit})").format(
            count=len(value), limit=ctx.get("max_length"))
    if kind == "too_long":
        return _("has too many items (at most {limit})").format(limit=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return _("{value} is not a valid case code (letters, digits, '-' and '_' only, "
                 "at most 40)").format(value=shown)
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("{value} is not a valid date (YYYY-MM-DD)").format(value=shown)
    if kind.endswith("_type") or kind.endswith("_parsing"):
        expected = kind.split("_")[0]
        return _("{value} is not a {kind}").format(
            value=shown, kind=_(_TYPE_NAMES[expected]) if expected in _TYPE_NAMES else expected)
    return error["msg"].replace("Value error, ", "")


_TYPE_NAMES = {"bool": N_("true/false value"), "string": N_("text"), "list": N_("list"),
               "dict": N_("object"), "model": N_("object"), "int": N_("whole number")}


def dump_case(case: Case, as_of: dt.date) -> dict:
    """The exchange document of ``case`` with its ``derived`` block for ``as_of``."""
    document = case.to_document()
    document["derived"] = derived(case, as_of)
    return document

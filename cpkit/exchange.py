"""Reading and writing the case exchange format (JSON, JSON arrays, JSON Lines).

Every problem found is reported with the case, the field path and what is wrong,
e.g. ``cases[3] (PR-2026-0004): assessment.risk_factors.site_of_injury: 'severe' is
not one of low, medium, high``.  Nothing here writes anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from cpkit.errors import BadInput, FieldProblem, InvalidCase, show_value
from cpkit.i18n import N_, _
from cpkit.model import CASE_ID_PATTERN, FORMAT, Case
from cpkit.rules.checks import case_problems
from cpkit.rules.summary import derived

# Limits on what is read, so that a hostile or broken file gets a named error instead
# of filling the memory or the store (each refused with exit status 2).
MAX_FILE_BYTES = 64 * 1024 * 1024  # one import file, read in chunks, never unbounded
MAX_DOCUMENT_CHARS = 4_000_000  # one case: the characters of all its keys and texts
MAX_DEPTH = 32  # objects and lists inside each other (a case needs 5)
MAX_STRING = 100_000  # any one text, unknown keys' included (known ones have less)
MAX_KEY = 200  # any one key
MAX_NUMBER_CHARS = 30  # a number's digits (a whole number of 30 digits is no case data)


class _Refused:
    """A JSON value the parser met and cpkit refuses (reported with its field path)."""

    def __init__(self, problem: str):
        self.problem = problem


class _Object(dict):
    """A JSON object whose text repeated a key (``duplicates``): refused, since which
    value would be meant cannot be known."""

    duplicates: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    """A parsed object: a plain dict (pydantic validates a dict subclass about a third
    slower, and an import validates every case), an :class:`_Object` only when a key
    repeats."""
    out = dict(pairs)
    if len(out) != len(pairs):
        out = _Object(pairs)
        seen: set[str] = set()
        out.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))
    return out


def _number(text: str) -> object:
    if len(text.lstrip("-")) > MAX_NUMBER_CHARS:
        return _Refused(_("a number of {count} characters (at most {limit})").format(
            count=len(text), limit=MAX_NUMBER_CHARS))
    value = float(text) if any(c in text for c in ".eE") else int(text)
    if isinstance(value, float) and not math.isfinite(value):
        return _Refused(_("the number {value} is out of range").format(value=text[:20]))
    return value


def _constant(name: str) -> object:
    return _Refused(_("{value} is not a number JSON allows").format(value=name))


def _loads(text: str, source: str) -> object:
    """``json.loads`` with cpkit's refusals marked (see :func:`input_problems`)."""
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_number,
                          parse_float=_number, parse_constant=_constant)
    except RecursionError:
        raise BadInput(source + ": " + _("nesting depth: objects and lists are nested "
                                         "deeper than {limit} levels").format(
                                             limit=MAX_DEPTH)) from None


def input_problems(document: object, label: str = "") -> list[FieldProblem]:
    """What cpkit refuses in a parsed document whatever its fields: nesting deeper than
    ``MAX_DEPTH``, texts and keys over their limits, a NUL character (PostgreSQL
    cannot store one; SQLite would keep it and truncate it elsewhere), repeated keys,
    NaN/Infinity and oversized numbers, a case over ``MAX_DOCUMENT_CHARS``.  Each with
    its field path; the walk is iterative, so no depth can crash it."""
    if _plainly_acceptable(document):  # the usual case: one quick walk, no paths built
        return []
    problems: list[FieldProblem] = []
    size = 0
    stack: list[tuple[str, object, int]] = [("", document, 1)]
    while stack and len(problems) < 20:
        path, value, depth = stack.pop()
        if isinstance(value, str):
            size += len(value)
            problems += _text_problems(path, value, MAX_STRING, label)
        elif isinstance(value, _Refused):
            problems.append(FieldProblem(path, value.problem, label))
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                shown = path if len(path) <= 60 else path[:57] + "..."
                problems.append(FieldProblem(shown, _(
                    "nesting depth: more than {limit} levels of objects and lists").format(
                        limit=MAX_DEPTH), label))
                continue
            if isinstance(value, list):
                items = [(f"{path}[{i}]", v) for i, v in enumerate(value)]
            else:
                for key in getattr(value, "duplicates", ()):
                    problems.append(FieldProblem(_join(path, key), _(
                        "appears twice in one object (which value is meant?)"), label))
                for key in value:
                    size += len(key)
                    problems += _text_problems(_join(path, "(key)"), key, MAX_KEY, label)
                items = [(_join(path, k), v) for k, v in value.items()]
            stack.extend((p, v, depth + 1) for p, v in reversed(items))
        if size > MAX_DOCUMENT_CHARS:
            return [*problems, FieldProblem("", _(
                "document size: the case is larger than {limit} characters").format(
                    limit=f"{MAX_DOCUMENT_CHARS:,}"), label)]
    return problems


def _plainly_acceptable(document: object) -> bool:
    """Whether ``document`` certainly has none of :func:`input_problems`' problems: the
    same limits checked in one walk that builds no field path (an import checks every
    case; the full walk runs only to name what this one found)."""
    return 0 <= _plain_size(document, 1) <= MAX_DOCUMENT_CHARS


def _plain_size(value: object, depth: int) -> int:
    """The characters of the keys and texts in ``value`` (a plain dict or list at
    nesting ``depth``), or -1 at the first thing :func:`input_problems` would name, or
    anything else it should look at (a repeated key's object, a text at the top).

    Recursive: a level deeper than ``MAX_DEPTH`` is refused before it is entered, so
    the recursion stays within 33 calls.  Exact types, not ``isinstance``: this runs
    over every value of every imported case (a third faster than the walk with a
    stack it replaced)."""
    if depth > MAX_DEPTH:
        return -1
    size = 0
    kind = type(value)
    if kind is dict:
        for key in value:
            if len(key) > MAX_KEY or "\x00" in key:
                return -1
            size += len(key)
        items = value.values()
    elif kind is list:
        items = value
    else:
        return -1
    for item in items:
        kind = type(item)
        if kind is str:
            if len(item) > MAX_STRING or "\x00" in item:
                return -1
            size += len(item)
        elif kind is dict or kind is list:
            inner = _plain_size(item, depth + 1)
            if inner < 0:
                return -1
            size += inner
        elif kind is not int and kind is not float and kind is not bool and item is not None:
            return -1  # a refused number or constant (_Refused), or anything unusual
    return size


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _text_problems(path: str, text: str, limit: int, label: str) -> list[FieldProblem]:
    found = []
    if len(text) > limit:
        found.append(FieldProblem(path, _("is too long ({count} characters; at most "
                                          "{limit})").format(count=len(text), limit=limit),
                                  label))
    if "\x00" in text:
        found.append(FieldProblem(path, _("contains a NUL character (\\u0000)"), label))
    return found


def parse_documents(text: str, source: str = "input") -> tuple[list[object], bool]:
    """Split ``text`` into documents: one object, a JSON array, or JSON Lines.

    Returns the documents and whether they came as a collection (array or lines).
    """
    stripped = text.lstrip()
    if not stripped:
        raise BadInput(f"{source}: the file is empty")
    try:
        data = _loads(text, source)
    except json.JSONDecodeError as first:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2 or not _is_json(lines[0]):
            raise _json_error(source, first) from None
        docs = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    docs.append(_loads(line, f"{source}: line {number}"))
                except json.JSONDecodeError as err:
                    raise BadInput(f"{source}: line {number}: not valid JSON "
                                   f"({err.msg} at column {err.colno})") from None
        return docs, True
    if isinstance(data, list) and not data:
        raise BadInput(source + ": " + _("the file holds no case (an empty array)"))
    return (data, True) if isinstance(data, list) else ([data], False)


def _is_json(line: str) -> bool:
    try:
        _loads(line, "")
    except (json.JSONDecodeError, BadInput):
        return False
    return True


def _json_error(source: str, err: json.JSONDecodeError) -> BadInput:
    return BadInput(f"{source}: not valid JSON ({err.msg} at line {err.lineno}, "
                    f"column {err.colno})")


def read_file(path: str | Path) -> tuple[list[object], bool]:
    """Read the documents of one file, refusing what is not UTF-8 JSON.

    Read in chunks up to ``MAX_FILE_BYTES``: a device (``/dev/zero``) is refused at
    once, and a pipe or a file growing while read stops at the limit."""
    path = Path(path)
    try:
        if path.is_dir():
            raise BadInput(f"{path}: " + _("is a folder, not a file"))
        if path.is_char_device() or path.is_block_device():
            raise BadInput(f"{path}: " + _("file size: a device, not a file of cases"))
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise BadInput(f"{path}: " + _("file size: larger than {limit} MiB").format(
                limit=MAX_FILE_BYTES // 2**20))
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except PermissionError:
        raise BadInput(f"{path}: " + _("not readable (permission denied)")) from None
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 (byte {err.start})") from None
    return parse_documents(text, str(path))


def load_case(document: object, label: str = "") -> Case:
    """Validate one document into a :class:`Case`, with the protocol's rules applied.

    The ``derived`` block is dropped: it is recomputed, never trusted.
    """
    if not isinstance(document, dict):
        raise InvalidCase([FieldProblem("", "a case must be a JSON object", label)])
    refused = input_problems(document, _case_label(label, document))
    if refused:
        raise InvalidCase(refused)
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
        raise InvalidCase([replace(p, case=case_label) for p in problems])
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
    problems.extend(duplicate_codes(enumerate(c.case_id for c in cases)))
    if problems:
        raise InvalidCase(problems)
    return cases


def duplicate_codes(codes: Iterable[tuple[int, str | None]]) -> list[FieldProblem]:
    """A case code given twice in one file, named at ``cases[i]`` by each code's ``i``
    (its place among the cases: :func:`load_cases`, :mod:`cpkit.access.import_fork`)."""
    seen: dict[str, int] = {}
    problems = []
    for i, code in codes:
        if code is None:
            continue
        if code in seen:
            problems.append(FieldProblem(
                "case_id", f"{code!r} is used again (first at cases[{seen[code]}])",
                f"cases[{i}]"))
        seen.setdefault(code, i)
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

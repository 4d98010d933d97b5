"""The per-case notebook's parameters: a fixed list of names, JSON values, checked.

papermill writes the parameters into the notebook as Python source.  Whatever reaches
that source is code, so nothing goes in unchecked: the names come from :data:`NAMES`
only, every value is a JSON scalar of the type its name expects, strings are short and
match a pattern that admits no quote, backslash or newline; the one exception,
``case_document``, is the case itself as JSON text (read by the host through the
guard, already redacted where it must be): it must parse as a JSON object naming the
same case code.  :func:`check_source` verifies afterwards that the injected cell is
nothing but those assignments.  No database URL or key is ever a parameter.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from collections.abc import Mapping

from cpkit.errors import BadInput
from cpkit.i18n import LANGUAGES, N_, gettext

# The parameters cell of notebooks/case.ipynb, in its order.
NAMES = ("case_id", "report", "meeting_date", "lang", "redact", "as_of", "case_document")
# What the notebook can show: the whole case file, or one of the protocol's documents.
REPORTS = ("case", "invitation", "minutes", "care-plan", "closure", "chronology")
# The documents `cpkit render` produces.
KINDS = REPORTS[1:]
# What a reader sees for each document (forms, landing page, dashboard).
KIND_LABELS = {
    "invitation": N_("Invitation and agenda"),
    "minutes": N_("CMR minutes"),
    "care-plan": N_("Care plan"),
    "closure": N_("Case closure form"),
}


def kind_label(kind: str, lang: str | None = None) -> str:
    """The reader's name of a report kind, in ``lang``."""
    text = KIND_LABELS.get(kind)
    return gettext(text, lang) if text else kind
STRING_MAX = 40
DOCUMENT_MAX = 8_000_000  # characters of JSON text: far above any real case
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

_JSON_SCALARS = (str, int, float, bool, type(None))
_TYPES: dict[str, type] = {"case_id": str, "report": str, "meeting_date": str, "lang": str,
                           "redact": bool, "as_of": str, "case_document": str}
DEFAULTS: dict[str, object] = {"case_id": "", "report": "case", "meeting_date": "",
                               "lang": "en", "redact": True, "as_of": "",
                               "case_document": ""}


def _date(name: str, value: str) -> None:
    if value == "":
        return
    if not re.fullmatch(DATE_PATTERN, value):
        raise BadInput(f"parameter {name}: not a date in the form YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"parameter {name}: no such date") from None


def check(params: Mapping[str, object]) -> dict[str, object]:
    """The parameters with defaults filled in; :class:`BadInput` for anything else.

    Refused: a name outside :data:`NAMES`, a value that is not a JSON scalar or not of
    the type its name takes, a string longer than :data:`STRING_MAX` or not matching its
    pattern (case code, report kind, language, ISO date).
    """
    if not isinstance(params, Mapping):
        raise BadInput("report parameters must be a mapping of names to values")
    unknown = [name for name in params if name not in NAMES]
    if unknown:
        shown = ", ".join(repr(str(n))[:30] for n in unknown[:3])
        raise BadInput(f"unknown report parameter(s): {shown}; allowed: {', '.join(NAMES)}")
    out = dict(DEFAULTS)
    for name, value in params.items():
        if type(value) not in _JSON_SCALARS:
            raise BadInput(f"parameter {name}: only JSON values (text, number, true/false, "
                           "null) are allowed")
        if type(value) is not _TYPES[name]:
            raise BadInput(f"parameter {name}: must be {_TYPES[name].__name__}")
        if name == "case_document":
            if len(value) > DOCUMENT_MAX:  # type: ignore[arg-type]
                raise BadInput(f"parameter {name}: longer than {DOCUMENT_MAX} characters")
        elif isinstance(value, str) and len(value) > STRING_MAX:
            raise BadInput(f"parameter {name}: longer than {STRING_MAX} characters")
        out[name] = value
    case_id = out["case_id"]
    from cpkit.protocol import CASE_ID_PATTERN

    if case_id != "" and not re.fullmatch(CASE_ID_PATTERN, case_id):  # type: ignore[arg-type]
        raise BadInput("parameter case_id: not a case code (letters, digits, - and _)")
    if out["report"] not in REPORTS:
        raise BadInput(f"parameter report: must be one of {', '.join(REPORTS)}")
    if out["lang"] not in LANGUAGES:
        raise BadInput(f"parameter lang: must be one of {', '.join(LANGUAGES)}")
    _date("meeting_date", out["meeting_date"])  # type: ignore[arg-type]
    _date("as_of", out["as_of"])  # type: ignore[arg-type]
    _document(out["case_document"], case_id)  # type: ignore[arg-type]
    return out


def _document(text: str, case_id: str) -> None:
    """The case document parameter: "" or a JSON object of the case named by case_id."""
    if text == "":
        return
    try:
        document = json.loads(text)
    except ValueError:
        raise BadInput("parameter case_document: not JSON text") from None
    if not isinstance(document, dict):
        raise BadInput("parameter case_document: not a JSON object (a case document)")
    if case_id == "" or document.get("case_id") != case_id:
        raise BadInput("parameter case_document: not the case named by case_id")


def document_text(document: Mapping) -> str:
    """A case document as the ``case_document`` parameter: compact, ASCII-only JSON."""
    return json.dumps(document, ensure_ascii=True, separators=(",", ":"), sort_keys=True,
                      default=str)


def check_source(source: str, params: Mapping[str, object]) -> None:
    """Make sure an injected parameters cell assigns ``params`` and does nothing else.

    A second line of defence behind :func:`check`: the cell must parse to plain
    ``name = constant`` statements, the names from :data:`NAMES`, the constants equal
    to the values given.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise BadInput("the injected parameters do not parse") from None
    seen: dict[str, object] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant)):
            raise BadInput("the injected parameters contain something other than values")
        seen[node.targets[0].id] = node.value.value
    if seen != dict(params):
        raise BadInput("the injected parameters differ from the ones given")

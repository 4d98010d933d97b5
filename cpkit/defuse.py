"""Stored text made harmless for where it goes: a spreadsheet cell, a terminal.

Why: anything a user typed can reach a supervisor's Excel or terminal.  A cell
starting with ``=`` (``=HYPERLINK("http://...", "click")``) is a live formula when the
CSV or workbook is opened; a control character makes openpyxl refuse the whole
workbook; an escape sequence can repaint a terminal.  The HTML escaping of reports is
elsewhere (Jinja2's autoescape and the report templates).
"""

from __future__ import annotations

import re

# The OWASP rule for CSV injection: a cell starting with one of these is a formula in
# Excel, LibreOffice or Google Sheets; a leading quote makes it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CELL_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def spreadsheet_cell(value: object) -> object:
    """``value`` for a CSV or XLSX cell: text with control characters removed and a
    quote in front of a would-be formula; numbers, dates and ``None`` unchanged."""
    if not isinstance(value, str):
        return value
    value = _CELL_CONTROL.sub("", value)  # first: "\x01=HYPERLINK(...)" is a formula after
    return "'" + value if value.startswith(FORMULA_START) else value


def printable(text: str) -> str:
    """``text`` without the control characters a terminal acts on (tab, newline kept)."""
    return _TERMINAL_CONTROL.sub("", text)

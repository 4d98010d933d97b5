"""Lists on standard output: a text table for people, JSON or CSV for programs.

The rows are written as they come (streamed): nothing guesses a cell's type, a value is
shown as it is (``None`` as ``-``, dates in ISO form).  The table's column widths are
taken from the first :data:`SIZED` rows; a longer value further down just pushes its
line wider.  JSON is an array of objects and CSV has one header row, both keyed by the
column names (stable, untranslated); the text table's headers are in the user's language.
Control characters are dropped from table cells (a stored value cannot drive the
terminal).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from cpkit.defuse import spreadsheet_cell

FORMATS = ("table", "json", "csv")
SIZED = 500  # rows read ahead to size the table's columns
GAP = "  "
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Column:
    """One column: the row's key, its header, and how the table shows a value."""

    key: str
    header: str
    show: Callable[[object], str] | None = None

    def cell(self, row: dict) -> str:
        value = row.get(self.key)
        text = self.show(value) if self.show else plain(value)
        return _CONTROL.sub("", text)


def plain(value: object) -> str:
    """A value as a table shows it: ``-`` for nothing, ISO dates, the rest as text."""
    if value is None or value == "":
        return "-"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return spreadsheet_cell(value)  # no live formula when the CSV is opened in Excel


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write(rows: Iterable[dict], columns: list[Column], fmt: str = "table",
          out: TextIO | None = None) -> int:
    """Write ``rows`` (dicts) in ``fmt``; returns how many rows were written.

    JSON and CSV carry each column's value as stored; only the table applies ``show``.
    """
    out = out or sys.stdout
    writer = {"table": _table, "json": _json, "csv": _csv}[fmt]
    try:
        return writer(iter(rows), columns, out)
    except BrokenPipeError:  # `cpkit list | head`: the reader has seen enough
        sys.stdout = None  # type: ignore[assignment]  (no flush error at exit)
        return 0


def _chunks(lines: Iterator[str], out: TextIO, size: int = 2000) -> int:
    count = 0
    while True:
        block = list(itertools.islice(lines, size))
        if not block:
            return count
        out.write("".join(block))
        count += len(block)


def _table(rows: Iterator[dict], columns: list[Column], out: TextIO) -> int:
    head = [[c.cell(r) for c in columns] for r in itertools.islice(rows, SIZED)]
    headers = [c.header for c in columns]
    widths = [max([len(h)] + [len(line[i]) for line in head]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return GAP.join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
                        ).rstrip() + "\n"

    out.write(line(headers))
    out.write(GAP.join("-" * width for width in widths).rstrip() + "\n")
    rest = ([c.cell(r) for c in columns] for r in rows)
    return _chunks((line(cells) for cells in itertools.chain(head, rest)), out)


def _json(rows: Iterator[dict], columns: list[Column], out: TextIO) -> int:
    keys = [c.key for c in columns]
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    body = (("[\n" if i == 0 else ",\n") + "  " + encode({k: row.get(k) for k in keys})
            for i, row in enumerate(rows))
    count = _chunks(body, out)
    out.write("\n]\n" if count else "[]\n")
    return count


def _csv(rows: Iterator[dict], columns: list[Column], out: TextIO) -> int:
    import csv

    keys = [c.key for c in columns]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    count = 0
    while True:
        block = list(itertools.islice(rows, 2000))
        if not block:
            return count
        writer.writerows([[_csv_value(r.get(k)) for k in keys] for r in block])
        count += len(block)

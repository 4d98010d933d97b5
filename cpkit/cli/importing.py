"""``cpkit import`` of one file: read, validate, store in one transaction, summarise.

A file of many cases shows a progress bar on stderr while it is checked and stored,
only when stderr is a terminal (nothing extra in a pipe or a log); every file ends
with one line: how many cases, the first and last codes, how many replaced.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from cpkit.i18n import _

BAR_FROM = 200  # cases in a file from which a terminal shows a progress bar


def import_file(guard, path: Path, *, replace: bool = False, extra=None) -> list:
    """Import the cases of ``path`` through ``guard`` (all or none); per case stored its
    code, version and ``extra(case)`` (:class:`cpkit.access.import_fork.Imported`): a
    large file is prepared on two cores, its cases never all held here."""
    from cpkit import exchange
    from cpkit.collector import paused

    with paused():  # its cases are kept until stored: see cpkit.collector
        documents, collection = exchange.read_file(path)
        with _progress(len(documents), str(path)) as step:
            return guard.import_documents(documents, collection, replace=replace,
                                          progress=step, extra=extra)


def summary(path: Path | str, codes: list[str], replaced: int) -> str:
    """One line for one file: count, first and last codes, how many replaced."""
    if not codes:
        return _("{path}: no cases in the file").format(path=path)
    if len(codes) == 1:
        text = _("{path}: imported 1 case, {code}").format(path=path, code=codes[0])
    else:
        text = _("{path}: imported {count} case(s), {first} to {last}").format(
            path=path, count=len(codes), first=codes[0], last=codes[-1])
    if replaced:
        text += ", " + _("{count} replaced").format(count=replaced)
    return text


@contextlib.contextmanager
def _progress(count: int, label: str) -> Iterator[Callable[[int], object] | None]:
    """A progress bar over checking and storing ``count`` cases (2 steps each), or
    ``None`` when stderr is no terminal or the file is small."""
    if count < BAR_FROM or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=2 * count, label=label, file=sys.stderr,
                           update_min_steps=max(1, count // 50)) as bar:
        yield bar.update

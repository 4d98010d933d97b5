"""What reaches a terminal: never an escape sequence taken from stored data.

Why: a case manager's name, a free text or a user's display name stored with
``ESC [ ... `` sequences (or a C1 control such as U+009B) could repaint the screen,
hide lines, retitle the window or, on some terminals, answer back keystrokes, as soon
as someone runs ``cpkit list`` or ``cpkit show``.  When standard output is a terminal,
every command writes through a filter that drops control characters other than tab
and newline (C0, DEL and C1).  Output to a file or a pipe is left exactly as it is
(an export must keep the data; JSON escapes control characters itself).  The same
rule for one string: :func:`cpkit.defuse.printable`.
"""

from __future__ import annotations

import io
import re
import sys

# C0 controls except tab and newline, DEL, and C1 controls (U+0080..U+009F) as UTF-8.
_UNSAFE = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


class _Filtered(io.RawIOBase):
    """A byte stream that drops terminal controls before passing bytes on."""

    def __init__(self, target):
        self._target = target

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._target.write(_UNSAFE.sub(b"", bytes(data)))
        self._target.flush()
        return len(data)

    def fileno(self) -> int:
        return self._target.fileno()

    def isatty(self) -> bool:
        return True


def defuse_stdout() -> None:
    """Put the filter in front of standard output when it is a terminal (once)."""
    stream = sys.stdout
    if stream is None or isinstance(getattr(stream, "buffer", None), _Filtered):
        return
    try:
        if not stream.isatty():
            return
    except ValueError:
        return
    stream.flush()
    sys.stdout = io.TextIOWrapper(_Filtered(stream.buffer), encoding="utf-8",
                                  errors="replace", line_buffering=True)

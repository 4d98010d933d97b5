"""Read and write a case document by field path ("meetings[0].next_meeting_reason").

The paths are the ones :class:`cpkit.errors.FieldProblem` uses, so that a problem
found by validation lands next to the widget that edits the same path.
"""

from __future__ import annotations

import re
from typing import Any

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

EMPTY = (None, "", [])


def parts(path: str) -> list[str | int]:
    """``"a.b[2].c"`` -> ``["a", "b", 2, "c"]``."""
    return [int(index) if index else name for name, index in _PART.findall(path)]


def get_in(document: Any, path: str, default: Any = None) -> Any:
    """The value at ``path``, or ``default`` when any step is missing."""
    value = document
    for part in parts(path):
        if isinstance(part, int):
            if not isinstance(value, list) or part >= len(value):
                return default
        elif not isinstance(value, dict) or part not in value:
            return default
        value = value[part]
    return default if value is None else value


def set_in(document: dict, path: str, value: Any) -> None:
    """Set ``path`` to ``value``, creating the parents it needs.

    An empty value (``None``, ``""``, ``[]``) is not written where the document has no
    such key, so that a form never adds keys the assessor did not fill in; where the key
    exists, an empty text becomes ``None`` (the field was cleared).
    """
    steps = parts(path)
    target: Any = document
    for step, following in zip(steps, steps[1:], strict=False):
        container = {} if isinstance(following, str) else []
        if isinstance(step, int):
            while len(target) <= step:
                target.append({} if isinstance(following, str) else [])
            target = target[step]
        else:
            if target.get(step) is None:
                if value in EMPTY:
                    return
                target[step] = container
            target = target[step]
    last = steps[-1]
    if isinstance(last, int):
        while len(target) <= last:
            target.append(None)
        target[last] = value
        return
    if value in EMPTY and last not in target:
        return
    target[last] = None if value == "" else value

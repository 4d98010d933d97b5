"""Which fields a change touched: paths only, so the audit trail holds no case data."""

from __future__ import annotations


def _flatten(value: object, path: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{path}.{key}" if path else str(key)))
        return out or {path: {}}
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(_flatten(item, f"{path}[{i}]"))
        return out or {path: []}
    return {path: value}


def changed_paths(old: dict, new: dict) -> list[str]:
    """The field paths whose values differ between two documents, sorted."""
    before, after = _flatten(old), _flatten(new)
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))

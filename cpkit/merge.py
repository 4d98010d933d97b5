"""Three-way merge of case documents, field by field.

When two people edit one case at the same time, the second save starts from an older
version.  Rather than refuse it (work lost) or write it over the first (work lost),
the document each started from (*base*), the one stored now (*theirs*) and the one the
second person typed (*mine*) are compared field by field:

- a field only I changed takes my value; a field only they changed keeps theirs;
- a field both changed to the same value takes it;
- a field both changed to different values is a :class:`FieldConflict`, for the person
  to decide; it is never decided here.

Lists merge by their items' identity, so two people adding care-plan actions or
progress notes both keep theirs: an item's ``id`` where it has one, else its
natural key (a participant's agency and name, a meeting's kind and date, see
:data:`NATURAL_KEYS`), else its whole content.  An item without an ``id`` whose key
changed on one side (a meeting moved to another date) is paired with the base item at
the same position, so it counts as an edit rather than a removal plus an addition.

Pure Python on plain JSON documents: no store, no widgets.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_json


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


ABSENT: Any = _Marker("ABSENT")    # the key (or list item) is not there
UNKNOWN: Any = _Marker("UNKNOWN")  # the base is not known: every difference is a conflict

# List field name -> the keys that identify an item without an ``id``.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "meetings": ("kind", "date"),
    "participants": ("agency", "name"),
    "apologies": ("agency", "name"),
    "invited": ("agency", "name"),
    "progress_reports": ("agency", "by"),
    "minutes_acknowledged": ("agency",),
    "agencies_consulted": ("agency",),
    "do_not_disclose": ("what", "from"),
}



@dataclass(frozen=True)
class FieldConflict:
    """A field both sides changed to different values: the person decides."""

    path: str    # where it is in the merged document ("care_plan.actions[0].status")
    base: Any
    theirs: Any
    mine: Any
    steps: tuple = field(default=(), repr=False)  # the same route: keys and indices


@dataclass
class MergeResult:
    """The merged document (with *theirs* at every conflict) and what happened."""

    document: Any
    conflicts: list[FieldConflict]
    mine_applied: list[str]     # paths taken from mine (changed only by me)
    theirs_kept: list[str]      # paths kept from theirs (changed only by them)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(base: Any, theirs: Any, mine: Any) -> MergeResult:
    """Merge ``mine`` into ``theirs``, both derived from ``base`` (or :data:`UNKNOWN`)."""
    out = _Merger()
    document = out.value(base, theirs, mine, (), "")
    return MergeResult(document, out.conflicts, sorted(set(out.mine)), sorted(set(out.theirs)))


def resolve(result: MergeResult, choices: dict[str, Any]) -> Any:
    """The merged document with each conflict (by path) set to the value chosen.

    Every conflict must have a choice; :data:`ABSENT` removes the key or list item.
    """
    missing = [c.path for c in result.conflicts if c.path not in choices]
    if missing:
        raise ValueError(f"undecided fields: {', '.join(missing)}")
    document = json.loads(json.dumps(result.document))
    removals = []
    for conflict in result.conflicts:
        value = choices[conflict.path]
        if value is ABSENT:
            removals.append(conflict.steps)
        elif conflict.steps:
            parent = _walk(document, conflict.steps[:-1])
            parent[conflict.steps[-1]] = json.loads(json.dumps(value))
        else:
            document = value
    # Deepest and last first, so earlier indices stay right.
    for steps in sorted(removals, key=lambda s: [str(x).zfill(9) for x in s], reverse=True):
        parent = _walk(document, steps[:-1])
        if isinstance(parent, list) or steps[-1] in parent:
            del parent[steps[-1]]
    return document


def _walk(document: Any, steps: tuple) -> Any:
    for step in steps:
        document = document[step]
    return document


def _join(path: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    return f"{path}.{step}" if path else step


def _flatten(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, _join(path, key)))
        return out or {path: {}}
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(_flatten(item, _join(path, i)))
        return out or {path: []}
    return {path: value}


def changed_paths(old: Any, new: Any, prefix: str = "") -> list[str]:
    """The field paths whose values differ between two documents (or parts), sorted:
    paths only, so an audit row listing them holds no case data.

    Parts equal by ``==`` whose JSON text is the same are skipped whole (equal text:
    the same values of the same types, which is what the field-by-field comparison
    asks); only the parts that differ are flattened.  Why: every save lists its changed fields, and
    flattening two whole cases for a change of one field cost more than the rest of
    the comparison."""
    if isinstance(old, dict) and isinstance(new, dict) and old and new:
        found: list[str] = []
        for key in old.keys() | new.keys():
            mine, theirs = old.get(key, ABSENT), new.get(key, ABSENT)
            if mine is not ABSENT and theirs is not ABSENT and mine == theirs \
                    and _same_text(mine, theirs):
                continue
            found += _changed_flat(mine, theirs, _join(prefix, key))
        return sorted(found)
    return sorted(_changed_flat(old, new, prefix))


def _same_text(a: Any, b: Any) -> bool:
    """Whether two parts equal by ``==`` (callers have checked) are certainly equal value
    for value and type for type: their JSON texts, keys in their order, match (``1``,
    ``1.0`` and ``true`` spelt apart); ``False`` when unsure (keys in another order, a
    NaN, not JSON), so they are compared field by field.

    Why pydantic-core's encoder (as :func:`cpkit.model.json_bytes`) and not
    ``json.dumps(sort_keys=True)``: every save compares the stored case with the saved
    one part by part, and writing both out sorted was the largest cost of listing its
    changed fields.  Documents keep their keys in the model's order, so equal parts
    have equal texts."""
    try:
        text = to_json(a)
        return text == to_json(b) and b"NaN" not in text and b"Infinity" not in text
    except (TypeError, ValueError):
        return False


def _changed_flat(old: Any, new: Any, prefix: str) -> list[str]:
    found: list[str] = []
    _changed_into(found, old, new, prefix)
    return found


def _changed_into(found: list[str], old: Any, new: Any, path: str) -> None:
    """The changed paths between two parts, into ``found``.  Two non-empty objects (or
    lists) are compared key by key (item by item), equal items skipped without a path
    being made for each of their leaves; anything else is flattened and compared leaf
    by leaf.  Why: a save changes one field or adds one item to a list, and flattening
    both sides of the part that holds it made a path for every leaf of it, twice."""
    kind = type(old)
    if kind is type(new) and (kind is dict or kind is list) and old and new:
        if kind is dict:
            pairs = ((k, old.get(k, ABSENT), new.get(k, ABSENT)) for k in old.keys() | new.keys())
        else:
            size = len(old)
            pairs = ((i, old[i] if i < size else ABSENT, new[i] if i < len(new) else ABSENT)
                     for i in range(max(size, len(new))))
        for step, a, b in pairs:
            item = type(a)
            if item is type(b) and a == b and (item is not dict and item is not list
                                               or _same_text(a, b)):
                continue
            _changed_into(found, a, b, _join(path, step))
        return
    before = {} if old is ABSENT else _flatten(old, path)
    after = {} if new is ABSENT else _flatten(new, path)
    found += [p for p in before.keys() | after.keys()
              if before.get(p, ABSENT) != after.get(p, ABSENT)
              or type(before.get(p)) is not type(after.get(p))]


# -- the merge ---------------------------------------------------------------------------


class _Merger:
    def __init__(self):
        self.conflicts: list[FieldConflict] = []
        self.mine: list[str] = []
        self.theirs: list[str] = []

    def value(self, base: Any, theirs: Any, mine: Any, steps: tuple, path: str,
              name: str = "") -> Any:
        if _same(theirs, mine):
            return theirs
        if base is not UNKNOWN and _same(base, theirs):
            self.mine += changed_paths(base, mine, path)
            return mine
        if base is not UNKNOWN and _same(base, mine):
            self.theirs += changed_paths(base, theirs, path)
            return theirs
        if isinstance(theirs, dict) and isinstance(mine, dict):
            return self.dict(base if isinstance(base, dict) or base is UNKNOWN else {},
                             theirs, mine, steps, path)
        if isinstance(theirs, list) and isinstance(mine, list):
            return self.list(base if isinstance(base, list) or base is UNKNOWN else [],
                             theirs, mine, steps, path, name)
        self.conflicts.append(FieldConflict(path, base, theirs, mine, steps))
        # Theirs stays until the person decides; an item they removed stays visible.
        return mine if theirs is ABSENT else theirs

    def dict(self, base: Any, theirs: dict, mine: dict, steps: tuple, path: str) -> dict:
        out = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            t, m = theirs.get(key, ABSENT), mine.get(key, ABSENT)
            if _same(t, m):  # what value() gives first, without making the path
                if t is not ABSENT:
                    out[key] = t
                continue
            b = UNKNOWN if base is UNKNOWN else base.get(key, ABSENT)
            value = self.value(b, t, m, (*steps, key), _join(path, key), key)
            if value is not ABSENT:
                out[key] = value
        return out

    def list(self, base: Any, theirs: list, mine: list, steps: tuple, path: str,
             name: str) -> list:
        key_of = _key_function(name)
        base_keyed = None if base is UNKNOWN else _keyed(base, key_of)
        base_items = {} if base_keyed is None else dict(base_keyed)
        t_items = _matched(theirs, base_keyed, key_of)
        m_items = _matched(mine, base_keyed, key_of)
        order = _merged_order(list(base_items), [k for k, _ in t_items],
                              [k for k, _ in m_items])
        t_map, m_map = dict(t_items), dict(m_items)
        out: list = []
        for key in order:
            t, m = t_map.get(key, ABSENT), m_map.get(key, ABSENT)
            if _same(t, m):  # the item both kept (most of a long list): no path made
                if t is not ABSENT:
                    out.append(t)
                continue
            b = UNKNOWN if base is UNKNOWN else base_items.get(key, ABSENT)
            index = len(out)
            value = self.value(b, t, m, (*steps, index), _join(path, index), name)
            if value is not ABSENT:
                out.append(value)
        return out


def _same(a: Any, b: Any) -> bool:
    """Equal with the types (``True`` is not ``1``, at any depth)."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is str or kind is int or kind is float or kind is bool:
        return a == b  # a plain value (most of a document): no more to look at
    if a is ABSENT or b is ABSENT or a is UNKNOWN or b is UNKNOWN:
        return False
    # Unequal by Python's own comparison (one C pass) is unequal with the types too;
    # equal, the types are looked at below (``1 == True``, ``1 == 1.0``).
    if a != b:
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _key_function(name: str) -> Callable[[Any], Any]:
    natural = NATURAL_KEYS.get(name)

    def key_of(item: Any) -> Any:
        if type(item) is str:  # a plain text item: itself (no JSON text made of it)
            return ("str", item)
        if isinstance(item, dict):
            if item.get("id") is not None:
                return ("id", json.dumps(item["id"], default=str))
            if natural:
                return ("nat", json.dumps([item.get(k) for k in natural], default=str))
        return ("val", json.dumps(item, sort_keys=True, default=str))

    return key_of


def _keyed(items: Iterable[Any], key_of: Callable[[Any], Any]) -> list[tuple[Any, Any]]:
    """``(key, item)`` pairs; repeated keys are told apart by their occurrence."""
    seen: dict[Any, int] = {}
    out = []
    for item in items:
        key = key_of(item)
        seen[key] = seen.get(key, 0) + 1
        out.append(((*key, seen[key]), item))
    return out


def _matched(items: list, base_keyed: list[tuple[Any, Any]] | None,
             key_of: Callable[[Any], Any]) -> list[tuple[Any, Any]]:
    """Key ``items`` like the base's (``base_keyed``: the base's items keyed, ``None``
    when the base is not known); an item known by its natural key whose key is new is
    paired with an unmatched base item at the same position (its key was edited)."""
    keyed = _keyed(items, key_of)
    if not base_keyed:
        return keyed
    base_keys = {k for k, _ in base_keyed}
    taken = {k for k, _ in keyed}
    out = []
    for index, (key, item) in enumerate(keyed):
        if key[0] == "nat" and key not in base_keys and index < len(base_keyed):
            base_key = base_keyed[index][0]
            if base_key[0] == "nat" and base_key not in taken:
                key = base_key
                taken.add(base_key)
        out.append((key, item))
    return out


def _merged_order(base: list, theirs: list, mine: list) -> list:
    """Every key of either side once, in the order of the side that reordered (theirs
    when neither or both did); the other side's new items go before their successor
    there (at the end when they were added last)."""
    # Membership in sets: lists of a few hundred items (notes, actions) made this
    # quadratic in their length.
    in_theirs, in_mine = set(theirs), set(mine)
    common = [k for k in base if k in in_theirs and k in in_mine]
    in_common = set(common)

    def reordered(side: list) -> bool:
        return [k for k in side if k in in_common] != common

    mine_leads = reordered(mine) and not reordered(theirs)
    primary, other = (mine, theirs) if mine_leads else (theirs, mine)
    order = list(primary)
    placed = set(order)
    for index, key in enumerate(other):
        if key in placed:
            continue
        after = next((k for k in other[index + 1:] if k in placed), None)
        order.insert(len(order) if after is None else order.index(after), key)
        placed.add(key)
    return order

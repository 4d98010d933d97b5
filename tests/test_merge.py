"""The three-way merge: one-sided changes come through, two-sided ones are never decided
silently; lists merge by their items' identity."""

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpkit.merge import ABSENT, UNKNOWN, merge, resolve


def doc(**parts):
    base = {"format": "cpkit-case/1", "case_id": "PR-2024-001",
            "assessment": {"wellbeing": {"health": {"status": "not_assessed"}}},
            "care_plan": {"actions": [{"id": "A1", "need": "school", "status": "planned",
                                       "progress": []}]}}
    base.update(parts)
    return base


def test_one_sided_changes_in_different_parts_both_come_through():
    base = doc()
    theirs = copy.deepcopy(base)
    theirs["assessment"]["wellbeing"]["health"]["notes"] = "seen by the doctor"
    mine = copy.deepcopy(base)
    mine["care_plan"]["actions"][0]["status"] = "in_progress"
    result = merge(base, theirs, mine)
    assert result.clean
    assert result.document["assessment"]["wellbeing"]["health"]["notes"] == "seen by the doctor"
    assert result.document["care_plan"]["actions"][0]["status"] == "in_progress"
    assert result.mine_applied == ["care_plan.actions[0].status"]
    assert result.theirs_kept == ["assessment.wellbeing.health.notes"]


def test_both_adding_actions_and_notes_keep_both():
    base = doc()
    theirs = copy.deepcopy(base)
    theirs["care_plan"]["actions"].append({"id": "A2", "need": "health"})
    theirs["care_plan"]["actions"][0]["progress"].append({"date": "2024-05-02", "by": "arta",
                                                          "note": "called the school"})
    mine = copy.deepcopy(base)
    mine["care_plan"]["actions"].append({"id": "A3", "need": "housing"})
    mine["care_plan"]["actions"][0]["progress"].append({"date": "2024-05-02", "by": "besa",
                                                        "note": "visited the family"})
    result = merge(base, theirs, mine)
    assert result.clean
    actions = result.document["care_plan"]["actions"]
    assert [a["id"] for a in actions] == ["A1", "A2", "A3"]
    assert [p["by"] for p in actions[0]["progress"]] == ["arta", "besa"]


def test_a_long_list_of_texts_keeps_both_sides_additions_in_place_and_repeats_apart():
    """Plain texts are keyed by themselves (cpkit.merge._key_function), a repeated text
    by its occurrence: one removed on one side, each side's additions where they put
    them, a text that is also a number's JSON (``"1"``, ``1``) another item."""
    base = [f"note {i}" for i in range(300)] + ["same", "same", "1", 1]
    theirs = [*base[:150], "theirs in the middle", *base[150:], "theirs last"]
    mine = [*base[:10], *base[11:], "same", "mine last"]  # note 10 removed, a third "same"
    result = merge({"notes": base}, {"notes": theirs}, {"notes": mine})
    assert result.clean
    expected = [*base[:10], *base[11:150], "theirs in the middle", *base[150:],
                "theirs last", "same", "mine last"]
    assert result.document["notes"] == expected
    assert [type(x) for x in result.document["notes"][-7:-3]] == [str, str, str, int]


def test_same_field_changed_differently_is_a_conflict_with_theirs_kept_until_decided():
    base = doc()
    theirs = copy.deepcopy(base)
    theirs["assessment"]["wellbeing"]["health"]["notes"] = "A's note"
    mine = copy.deepcopy(base)
    mine["assessment"]["wellbeing"]["health"]["notes"] = "B's note"
    result = merge(base, theirs, mine)
    [conflict] = result.conflicts
    assert conflict.path == "assessment.wellbeing.health.notes"
    assert (conflict.base, conflict.theirs, conflict.mine) == (ABSENT, "A's note", "B's note")
    assert result.document["assessment"]["wellbeing"]["health"]["notes"] == "A's note"
    decided = resolve(result, {conflict.path: "A's note. B's note"})
    assert decided["assessment"]["wellbeing"]["health"]["notes"] == "A's note. B's note"


def test_same_change_on_both_sides_is_no_conflict():
    base = doc()
    theirs, mine = copy.deepcopy(base), copy.deepcopy(base)
    theirs["case_manager"] = mine["case_manager"] = "Arta"
    assert merge(base, theirs, mine).clean


def test_removed_by_them_edited_by_me_is_a_conflict_and_the_item_can_go():
    base = doc()
    theirs = copy.deepcopy(base)
    theirs["care_plan"]["actions"] = []
    mine = copy.deepcopy(base)
    mine["care_plan"]["actions"][0]["status"] = "done"
    result = merge(base, theirs, mine)
    [conflict] = result.conflicts
    assert conflict.path == "care_plan.actions[0]"
    assert conflict.theirs is ABSENT and conflict.mine["status"] == "done"
    assert resolve(result, {conflict.path: ABSENT})["care_plan"]["actions"] == []
    kept = resolve(result, {conflict.path: conflict.mine})
    assert kept["care_plan"]["actions"][0]["status"] == "done"


def test_a_meeting_moved_to_another_date_is_an_edit_not_a_new_meeting():
    meeting = {"kind": "initial", "date": "2024-05-10", "participants": []}
    base = doc(meetings=[meeting])
    theirs = copy.deepcopy(base)
    theirs["meetings"][0]["participants"].append({"agency": "police"})
    mine = copy.deepcopy(base)
    mine["meetings"][0]["date"] = "2024-05-13"
    result = merge(base, theirs, mine)
    assert result.clean
    assert result.document["meetings"] == [{"kind": "initial", "date": "2024-05-13",
                                            "participants": [{"agency": "police"}]}]


def test_reordered_actions_keep_my_order_and_their_new_action():
    base = doc()
    base["care_plan"]["actions"].append({"id": "A2"})
    theirs = copy.deepcopy(base)
    theirs["care_plan"]["actions"].append({"id": "A3"})
    mine = copy.deepcopy(base)
    mine["care_plan"]["actions"].reverse()
    result = merge(base, theirs, mine)
    assert [a["id"] for a in result.document["care_plan"]["actions"]] == ["A2", "A1", "A3"]


def test_an_unknown_base_makes_every_difference_a_conflict():
    theirs = doc(case_manager="Arta")
    mine = doc(case_manager="Besa")
    mine["care_plan"]["actions"].append({"id": "A2"})
    result = merge(UNKNOWN, theirs, mine)
    assert sorted(c.path for c in result.conflicts) == ["care_plan.actions[1]", "case_manager"]
    assert result.document["case_manager"] == "Arta"
    chosen = resolve(result, {"case_manager": "Besa", "care_plan.actions[1]": ABSENT})
    assert chosen["case_manager"] == "Besa"
    assert "A2" not in json.dumps(chosen)


# -- the property ---------------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(0, 3), st.sampled_from("abc"))
FIELDS = ["f", "g", "h"]


@st.composite
def documents(draw):
    """A base like a case: scalars, a nested part, a list of items with ids (each with
    fields and a nested list of strings)."""
    def part():
        return {k: draw(SCALARS) for k in draw(st.lists(st.sampled_from(FIELDS), unique=True))}

    items = [{"id": f"A{i}", **part(),
              "notes": draw(st.lists(st.sampled_from(["n1", "n2", "n3"]), unique=True))}
             for i in draw(st.lists(st.integers(1, 4), unique=True, max_size=3))]
    return {**part(), "part": part(), "actions": items}


@st.composite
def edited(draw, base):
    """A copy of ``base`` with random edits: fields set or removed, items added,
    removed or edited, notes added or removed."""
    out = copy.deepcopy(base)

    def edit_part(part):
        for key in draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=2)):
            if draw(st.booleans()):
                part[key] = draw(SCALARS)
            else:
                part.pop(key, None)

    if draw(st.booleans()):
        edit_part(out)
    if draw(st.booleans()):
        edit_part(out["part"])
    actions = out["actions"]
    for item in list(actions):
        choice = draw(st.integers(0, 3))
        if choice == 1:
            actions.remove(item)
        elif choice == 2:
            edit_part(item)
        elif choice == 3:
            note = draw(st.sampled_from(["n1", "n2", "n3", "n4"]))
            if note in item["notes"]:
                item["notes"].remove(note)
            else:
                item["notes"].append(note)
    for new in draw(st.lists(st.integers(5, 7), unique=True, max_size=2)):
        actions.append({"id": f"A{new}", "f": draw(SCALARS), "notes": []})
    return out


def typed(value):
    """A value compared with its type (``False`` is not ``0``), as the merge compares."""
    return "ABSENT" if value is ABSENT else json.dumps(value, sort_keys=True)


def leaves(document):
    """Leaf values by a keyed path (items by id, notes as members), so that one leaf is
    the same leaf in base, theirs, mine and the merge."""
    out = {}
    for key, value in document.items():
        if key == "actions":
            for item in value:
                for field, inner in item.items():
                    if field == "notes":
                        for note in inner:
                            out[("actions", item["id"], "notes", note)] = True
                    else:
                        out[("actions", item["id"], field)] = inner
                out[("actions", item["id"])] = True
        elif key == "part":
            out.update({("part", k): v for k, v in value.items()})
        else:
            out[(key,)] = value
    return out


def conflict_leaves(result, base, theirs, mine):
    """The keyed leaves each conflict covers (an item's conflict covers all its leaves)."""
    covered = set()
    for conflict in result.conflicts:
        steps = conflict.steps
        if steps[0] == "actions":
            item_id = (conflict.theirs if conflict.theirs is not ABSENT and len(steps) == 2
                       else None)
            if len(steps) >= 2:
                item = result.document["actions"][steps[1]]
                item_id = item["id"]
            prefix = ("actions", item_id, *steps[2:3])
        else:
            prefix = tuple(steps)
        for doc_ in (base, theirs, mine):
            covered |= {k for k in leaves(doc_) if k[:len(prefix)] == prefix}
        covered.add(prefix)
    return covered


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_merge_property(data):
    base = data.draw(documents())
    theirs = data.draw(edited(base))
    mine = data.draw(edited(base))
    result = merge(base, theirs, mine)
    b, t, m, merged = leaves(base), leaves(theirs), leaves(mine), leaves(result.document)
    covered = conflict_leaves(result, base, theirs, mine)
    for leaf in b.keys() | t.keys() | m.keys():
        bv, tv, mv = (typed(d.get(leaf, ABSENT)) for d in (b, t, m))
        got = typed(merged.get(leaf, ABSENT))
        if bv == tv and mv != bv:  # only I changed it
            assert got == mv or leaf in covered, leaf
        elif bv == mv and tv != bv:  # only they changed it
            assert got == tv or leaf in covered, leaf
        elif tv != mv:  # both changed it, differently: never decided silently
            assert leaf in covered, leaf
    # Every conflict is real: both sides changed that place, differently.
    for conflict in result.conflicts:
        base_, theirs_, mine_ = (typed(v) for v in (conflict.base, conflict.theirs,
                                                     conflict.mine))
        assert theirs_ != mine_
        assert base_ != theirs_ and base_ != mine_
    # Deciding every conflict for one side gives that side's value there.
    if result.conflicts:
        choices = {c.path: c.mine for c in result.conflicts}
        resolve(result, choices)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from([0.0, 1.0, 2.5])
    | st.sampled_from(["", "a", "b"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    max_leaves=12)


def flat_changes(old, new, prefix=""):
    """Every leaf of both documents compared, value and type (what the audit lists)."""
    from cpkit.merge import _flatten

    before = {} if old is ABSENT else _flatten(old, prefix)
    after = {} if new is ABSENT else _flatten(new, prefix)
    return sorted(p for p in before.keys() | after.keys()
                  if before.get(p, ABSENT) != after.get(p, ABSENT)
                  or type(before.get(p)) is not type(after.get(p)))


@settings(max_examples=200, deadline=None)
@given(json_values, json_values, st.sampled_from(["", "x"]))
def test_changed_paths_skipping_equal_parts_finds_what_the_whole_comparison_finds(
        old, new, prefix):
    """Equal parts are skipped by their JSON text (cpkit.merge.changed_paths): the same
    paths as comparing every leaf, with 1, 1.0 and True told apart and key order
    ignored."""
    from cpkit.merge import changed_paths

    assert changed_paths(old, new, prefix) == flat_changes(old, new, prefix)
    reordered = dict(reversed(list(old.items()))) if isinstance(old, dict) else old
    assert changed_paths(reordered, old, prefix) == []
    assert changed_paths({"p": {"a": 1, "b": [True]}}, {"p": {"a": 1.0, "b": [1]}}) == \
        ["p.a", "p.b[0]"]


def test_items_equal_but_of_another_type_are_not_taken_as_kept():
    """Items and fields both sides hold alike are kept without a path made for them;
    ``1``, ``1.0`` and ``True`` are not alike (equal by ``==``, of other types), so a
    change of type on one side is that side's change, and on both a conflict."""
    base = {"a": 1, "b": 1, "list": [1, "x", {"n": 1}], "same": {"deep": [1, 2]}}
    theirs = {"a": True, "b": 1.0, "list": [1, "x", {"n": 1.0}], "same": {"deep": [1, 2]}}
    mine = {"a": 1, "b": True, "list": [1, "x", {"n": 1}, "mine"], "same": {"deep": [1, 2]}}
    result = merge(base, theirs, mine)
    assert result.document["a"] is True  # only they changed it
    assert [c.path for c in result.conflicts] == ["b"]
    assert result.document["list"][:3] == [1, "x", {"n": 1.0}]
    assert type(result.document["list"][2]["n"]) is float and result.document["list"][3] == "mine"
    assert result.mine_applied == ["list[3]"] and "a" in result.theirs_kept

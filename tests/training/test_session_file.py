"""The group session file: private, safe against concurrent trainees, names checked."""

from __future__ import annotations

import multiprocessing
import stat

import pytest

from cpkit.errors import BadInput
from cpkit.training import session
from cpkit.training.checker import TraineeAnswer


def test_submit_writes_a_private_file(cpkit_home):
    entry = session.submit("class-1", "  Ana   Petrović ", "TR-2026-0001",
                           TraineeAnswer({"site_of_injury": "high"}, {"safety": "not_met"},
                                         [{"need": "x"}]))
    assert entry["trainee"] == "Ana Petrović"
    path = cpkit_home / "training" / "class-1.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    [stored] = session.answers("class-1")
    assert stored["factors"] == {"site_of_injury": "high"}
    assert stored["wellbeing"] == {"safety": "not_met"} and stored["actions"] == [{"need": "x"}]
    assert session.names() == ["class-1"]


@pytest.mark.parametrize("name", ["../x", "", "a/b", "x" * 61, ".hidden"])
def test_bad_session_names_are_refused(name):
    with pytest.raises(BadInput):
        session.submit(name, "Ana", "TR-2026-0001", TraineeAnswer({}))


def test_trainee_name_is_required():
    with pytest.raises(BadInput, match="name"):
        session.submit("class-1", "   ", "TR-2026-0001", TraineeAnswer({}))


def test_unknown_session_is_empty_and_a_broken_file_is_reported(cpkit_home):
    assert session.answers("nobody-yet") == []
    (cpkit_home / "training").mkdir(parents=True, exist_ok=True)
    (cpkit_home / "training" / "broken.json").write_text("{not json")
    with pytest.raises(BadInput, match="not valid JSON"):
        session.answers("broken")


def _submit(i: int) -> None:
    for j in range(5):
        session.submit("busy", f"T{i}", f"TR-2026-000{j + 1}",
                       TraineeAnswer({"family_stress": "low"}))


def test_concurrent_trainees_lose_no_answer():
    ctx = multiprocessing.get_context("spawn")
    processes = [ctx.Process(target=_submit, args=(i,)) for i in range(6)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(60)
        assert p.exitcode == 0
    answers = session.answers("busy")
    assert len(answers) == 30
    assert {(a["trainee"], a["case"]) for a in answers} == {
        (f"T{i}", f"TR-2026-000{j + 1}") for i in range(6) for j in range(5)}

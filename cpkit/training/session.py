"""A group training session: the trainees' answers in one local JSON file.

The file is ``cpkit.paths.home()/training/<session>.json``, private to the user (mode
0600, folder 0700).  Trainees working in their browsers (one Voila kernel each, all run
by the trainer's account) append to the same file, so every write takes an exclusive
lock and replaces the file atomically; a reader never sees half an answer.

Training answers are about fictional children only; the file holds the trainee's name,
the case code and what they gave (factor levels, wellbeing statuses, care plan actions).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cpkit import paths
from cpkit.access.served import served
from cpkit.errors import BadInput
from cpkit.i18n import _
from cpkit.training.checker import TraineeAnswer

FORMAT = "cpkit-training-session/1"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$")
TRAINEE_MAX = 80


def folder() -> Path:
    path = paths.home() / "training"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def default_name(today: dt.date | None = None) -> str:
    """Today's session: trainees of one class share it without typing anything."""
    return f"session-{(today or dt.date.today()).isoformat()}"


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME_PATTERN.match(name):
        raise BadInput(_("session name {name!r}: use letters, digits, '-' and '_' only "
                         "(at most 60)").format(name=name[:60]))
    return name


def path_of(name: str) -> Path:
    return folder() / f"{check_name(name)}.json"


def names() -> list[str]:
    """The sessions kept on this machine, newest file first."""
    files = sorted(folder().glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [p.stem for p in files if NAME_PATTERN.match(p.stem)]


def _empty(name: str) -> dict[str, Any]:
    return {"format": FORMAT, "session": name,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "answers": []}


def load(name: str) -> dict[str, Any]:
    """The session document (an empty one when nobody has answered yet)."""
    path = path_of(name)
    if not path.exists():
        return _empty(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise BadInput(_("session file {path} is not valid JSON ({msg})").format(
            path=path, msg=err.msg)) from None
    if data.get("format") != FORMAT or not isinstance(data.get("answers"), list):
        raise BadInput(_("session file {path} is not a {format} document").format(
            path=path, format=FORMAT))
    return data


def answers(name: str) -> list[dict[str, Any]]:
    return list(load(name)["answers"])


@contextmanager
def _locked(name: str) -> Iterator[Path]:
    path = path_of(name)
    lock = path.with_suffix(".lock")
    fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield path
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write(path: Path, data: dict[str, Any]) -> None:
    paths.write_private(path, json.dumps(data, ensure_ascii=False, indent=1))


def submit(name: str, trainee: str, case_id: str, answer: TraineeAnswer,
           when: dt.datetime | None = None) -> dict[str, Any]:
    """Add ``trainee``'s answer to ``case_id`` to the session; the stored entry."""
    trainee = " ".join((trainee or "").split())
    if not trainee:
        raise BadInput(_("give the trainee's name"))
    if len(trainee) > TRAINEE_MAX:
        raise BadInput(_("the trainee's name is too long (at most {n} characters)").format(
            n=TRAINEE_MAX))
    entry = {"trainee": trainee, "case": case_id,
             "submitted_at": (when or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
             **answer.to_dict()}
    with _locked(name) as path:
        data = load(name)
        data["answers"].append(entry)
        _write(path, data)
    return entry


# --- from a form's kernel, which has no data folder: by its server (the host) --------------

@served
def submit_for(_guard, name: str, trainee: str, case_id: str, answer: dict) -> dict[str, Any]:
    """:func:`submit` (``answer`` as :meth:`TraineeAnswer.to_dict` gives it), by the host
    when called with a kernel's remote guard, else here (``_guard`` may be ``None``)."""
    return submit(name, trainee, case_id, TraineeAnswer.from_dict(answer))


@served
def answers_for(_guard, name: str) -> list[dict[str, Any]]:
    """:func:`answers`, by the host for a kernel (see :func:`submit_for`)."""
    return answers(name)

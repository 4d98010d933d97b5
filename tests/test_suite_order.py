"""The slowest-first order of the suite (tests/conftest.py) names real files and puts
them first, in its order, keeping every other file's own order."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from tests.conftest import SLOWEST_FIRST, pytest_collection_modifyitems

ROOT = Path(__file__).resolve().parents[1]


def test_every_file_named_slowest_first_exists() -> None:
    missing = [name for name in SLOWEST_FIRST if not (ROOT / name).is_file()]
    assert not missing, f"SLOWEST_FIRST names files that are gone: {missing}"


def test_collection_starts_with_the_slowest_files() -> None:
    collected = ["tests/rules/test_b.py::one", f"{SLOWEST_FIRST[1]}::x",
                 "tests/rules/test_a.py::two", f"{SLOWEST_FIRST[0]}::y",
                 f"{SLOWEST_FIRST[1]}::z"]
    items = [SimpleNamespace(nodeid=nodeid) for nodeid in collected]
    pytest_collection_modifyitems(items)
    assert [item.nodeid for item in items] == [
        f"{SLOWEST_FIRST[0]}::y", f"{SLOWEST_FIRST[1]}::x", f"{SLOWEST_FIRST[1]}::z",
        "tests/rules/test_b.py::one", "tests/rules/test_a.py::two"]

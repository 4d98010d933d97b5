"""The disk full under the store and the drafts, for real (a small tmpfs as the data
folder; #19 faults): an import is refused in words and leaves the store as it was; a
form whose draft cannot be written says so and keeps what was typed; nothing partial
is left.  (Exports to a full disk: test_full_disk.py.)"""

from __future__ import annotations

import json

from click.testing import CliRunner

from cpkit.cli import main
from cpkit.forms import drafts
from cpkit.store import Store
from tests.conftest import FIXTURES, fill


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def export_all() -> list:
    done = cli("export", "--all")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_an_import_on_a_full_disk_writes_nothing(full_home):
    assert cli("import", str(FIXTURES / "case_high_physical.json")).exit_code == 0
    before = export_all()
    fill(full_home)
    result = cli("import", str(FIXTURES / "case_probation.json"),
                 str(FIXTURES / "case_closed.json"))
    assert result.exit_code == 1, result.output
    assert f"the disk of the store file {full_home / 'cases.db'} is full" in result.stderr
    assert "Traceback" not in result.output
    (full_home / "filler").unlink()
    assert export_all() == before  # all or nothing: neither case half-stored
    checked = cli("check")
    assert checked.exit_code == 0, checked.output
    assert cli("import", str(FIXTURES / "case_probation.json")).exit_code == 0


def test_a_draft_on_a_full_disk_is_said_and_what_was_typed_kept(full_home):
    from cpkit.forms.wellbeing import WellbeingForm

    assert cli("import", str(FIXTURES / "case_minimal.json")).exit_code == 0
    store = Store()
    form = WellbeingForm("MI-2026-0001", store=store)
    field = next(f for f in form.all_fields() if f.path == "assessment.wellbeing.safety.notes")
    field.widget.value = "first words"
    assert drafts.read(form.user, "MI-2026-0001", form.draft_key) is not None
    fill(full_home)
    field.widget.value = "Left alone at night, " * 200
    assert "not kept as a draft" in form.status.value
    assert "No space left on device" in form.status.value
    assert field.widget.value.startswith("Left alone at night")  # still on the screen
    leftovers = [p for p in full_home.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []
    # The older draft is whole (not a torn file), and the form saves once there is room.
    assert drafts.read(form.user, "MI-2026-0001", form.draft_key).document is not None
    (full_home / "filler").unlink()
    assert form.save(), form.status.value
    assert store.get("MI-2026-0001").case.assessment.wellbeing.safety.notes.startswith(
        "Left alone at night")
    store.close()

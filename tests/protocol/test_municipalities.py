"""The municipality, free text in either official language, found and named in the
reader's language (the heading of reports and forms, and the redactor's list of what
it keeps)."""

from __future__ import annotations

from cpkit.protocol import municipalities


def test_every_way_of_writing_a_municipality_finds_both_names():
    for written in ("Graçanicë", "Gračanica", "Graçanica", "gracanica", "Грачаница"):
        assert municipalities.find(written) == ("Graçanicë", "Gračanica"), written
    assert municipalities.find("Prishtina") == ("Prishtinë", "Priština")
    assert municipalities.find("Uroševac") == ("Ferizaj", "Uroševac")
    assert municipalities.find("Atlantis") is None and municipalities.find(None) is None


def test_named_in_the_readers_language_else_as_written():
    assert municipalities.name("Graçanicë", "sr") == "Gračanica"
    assert municipalities.name("Gračanica", "sq") == "Graçanicë"
    assert municipalities.name("Graçanicë", "sr-Cyrl") == "Грачаница"
    assert municipalities.name("Gračanica", "en") == "Gračanica"
    assert municipalities.name("Atlantis", "sr") == "Atlantis"
    assert municipalities.name(None, "sq") == ""


def test_kosovos_38_municipalities_each_listed_once():
    # 38, and Mitrovicë as written before it was divided into north and south
    assert len(municipalities.MUNICIPALITIES) == 39
    assert len({a for a, _ in municipalities.MUNICIPALITIES}) == 39

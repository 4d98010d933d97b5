"""``cpkit i18n-status``."""

from __future__ import annotations

from click.testing import CliRunner

from cpkit import i18n
from cpkit.cli import main


def test_status_prints_every_language():
    result = CliRunner().invoke(main, ["i18n-status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["language", "name", "messages", "translated", "missing",
                                "unreviewed", "coverage"]
    rows = {line.split()[0]: line.split() for line in lines[2:6]}
    assert list(rows) == ["en", "sq", "sr", "sr-Cyrl"]
    total = len(i18n.template_messages())
    for lang, row in rows.items():
        status = i18n.catalog_status(lang)
        assert row[2:] == [str(total), str(status.translated), str(status.missing),
                           str(status.unreviewed), f"{status.coverage:.1f}%"]
    assert rows["en"][3:] == [str(total), "0", "0", "100.0%"]
    assert int(rows["sq"][5]) > 500  # the drafts are flagged unreviewed and counted


def test_status_in_serbian_cyrillic(monkeypatch):
    monkeypatch.setenv("CPKIT_LANG", "sr-Cyrl")
    result = CliRunner().invoke(main, ["i18n-status", "--lang", "sq"])
    assert result.exit_code == 0, result.output
    assert result.output.split()[0] == "језик"
    assert "Shqip" in result.output and "sr-Cyrl" not in result.output.splitlines()[2]


def test_unknown_language_is_bad_input():
    result = CliRunner().invoke(main, ["i18n-status", "--lang", "de"])
    assert result.exit_code == 2
    assert "not a cpkit language" in result.output


def test_check_fails_when_a_message_is_missing(tmp_path, monkeypatch):
    pot = tmp_path / "cpkit.pot"
    pot.write_text('msgid "High risk"\nmsgstr ""\n\nmsgid "A brand new message"\nmsgstr ""\n',
                   encoding="utf-8")
    monkeypatch.setattr(i18n, "TEMPLATE", pot)
    i18n.reload()
    try:
        result = CliRunner().invoke(main, ["i18n-status", "--lang", "sr", "--check",
                                           "--missing"])
        assert result.exit_code == 1
        assert "sr\tA brand new message" in result.output
        assert "High risk" not in result.output.split("coverage")[-1]
    finally:
        monkeypatch.undo()
        i18n.reload()

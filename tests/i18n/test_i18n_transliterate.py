"""Serbian Latin -> Cyrillic for the sr-Cyrl catalog."""

from __future__ import annotations

import pytest

from cpkit.i18n.transliterate import latin_to_cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Ljubljana", "Љубљана"),
    ("Njegoš", "Његош"),
    ("džep", "џеп"),
    ("LJUBAV NJIVA DŽEP", "ЉУБАВ ЊИВА ЏЕП"),
    ("Džep", "Џеп"),
    ("Ćuprija, Đorđe, Šid, Žabalj, Čačak", "Ћуприја, Ђорђе, Шид, Жабаљ, Чачак"),
    ("Okrugli sto za vođenje slučaja (OSVS)", "Округли сто за вођење случаја (ОСВС)"),
    # the two letters of a "digraph" across a prefix stay two letters
    ("nadživeti", "надживети"),
    ("podžupan", "поджупан"),
    ("injekcija", "инјекција"),
    # hyphenated words are prose
    ("čiča-gliša", "чича-глиша"),
])
def test_words(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize("kept", [
    "{name}", "{count}", "%(count)s", "%s", "%d", "<b class=\"risk-high\">", "</td>",
    "&amp;", "&nbsp;", "--all", "--lang", "CPKIT_LANG", "PDF", "`cpkit render`",
    "https://example.org/path",
])
def test_placeholders_markup_and_codes_untouched(kept):
    text = f"Dete {kept} je bezbedno"
    assert latin_to_cyrillic(text) == f"Дете {kept} је безбедно"


def test_decomposed_letters_are_read_like_composed_ones():
    # "ž" typed as z + combining caron
    assert latin_to_cyrillic("dz\u030cep") == "џеп"


def test_cyrillic_and_digits_pass_through():
    assert latin_to_cyrillic("Милица 2026. 14-18") == "Милица 2026. 14-18"


def test_codes_and_commands_stay_latin():
    assert latin_to_cyrillic("šifra PR-2026-0001") == "шифра PR-2026-0001"
    assert latin_to_cyrillic("pokrenite 'cpkit training answer-key CASE'") == (
        "покрените 'cpkit training answer-key CASE'")
    assert latin_to_cyrillic("zadajte -o FILE ili --all OSVS") == "задајте -o FILE или --all ОСВС"
    assert latin_to_cyrillic("npr. sq, sr, sr-Cyrl") == "нпр. sq, sr, sr-Cyrl"
    assert latin_to_cyrillic("kada (UTC), cpkit obrasci") == "када (UTC), cpkit обрасци"

"""The catalogs: complete against a fresh extraction, placeholders intact, review flags."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from cpkit import i18n, protocol
from cpkit.i18n import EXTRACT_KEYWORDS, gettext

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("sq", "sr", "sr-Cyrl")
_BRACE = re.compile(r"\{[^{}]*\}")
_PERCENT = re.compile(r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%[sdif]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[str]:
    """Every msgid ``pybabel extract`` finds in the code and templates now."""
    pot = tmp_path_factory.mktemp("pot") / "cpkit.pot"
    args = [sys.executable, "-c", "from babel.messages.frontend import main; main()",
            "-q", "extract", "-F", "babel.cfg", "-o", str(pot), "--no-default-keywords"]
    for keyword in EXTRACT_KEYWORDS:
        args += ["-k", keyword]
    subprocess.run([*args, "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as fh:
        catalog = read_po(fh)
    ids = [m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id]
    assert len(ids) > 500  # the protocol alone has ~485
    return ids


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_extracted_message_is_missing(extracted, lang):
    i18n.reload()
    missing = [m for m in extracted if m not in i18n._entries(lang)]
    assert not missing, (f"{len(missing)} message(s) untranslated in {lang}; run "
                         f"scripts/update-catalogs and translate: {missing[:10]}")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_protocol_content_is_translated(lang):
    untranslated = [m for m in protocol.all_messages() if m not in i18n._entries(lang)]
    assert not untranslated, untranslated[:10]


def test_the_shipped_template_matches_the_code(extracted):
    assert set(extracted) <= set(i18n.template_messages()), (
        "cpkit/locale/cpkit.pot is stale: run scripts/update-catalogs")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_the_same_in_every_language(lang):
    problems = []
    for msgid, entry in i18n._entries(lang).items():
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for string in strings:
            for pattern in (_BRACE, _PERCENT):
                if sorted(pattern.findall(msgid)) != sorted(pattern.findall(string)):
                    problems.append((msgid, string))
    assert not problems, problems[:5]


@pytest.mark.parametrize("lang", ["sq", "sr"])
def test_no_fuzzy_entries_and_every_entry_has_a_review_state(lang):
    with i18n.catalog_path(lang).open("rb") as fh:
        catalog = read_po(fh)
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy
    # every translation so far is a draft: none may claim review it did not get
    unflagged = [m.id for m in catalog if m.id and m.string and i18n.UNREVIEWED not in m.flags]
    assert not unflagged, unflagged[:5]


@pytest.mark.parametrize(("lang", "low", "medium", "high"), [
    ("sq", "Rrezik i ulët", "Rrezik i mesëm", "Rrezik i lartë"),
    ("sr", "Nizak rizik", "Srednji rizik", "Visok rizik"),
    ("sr-Cyrl", "Низак ризик", "Средњи ризик", "Висок ризик"),
])
def test_risk_levels_in_albanian_and_serbian(lang, low, medium, high):
    assert protocol.label("level", "low", lang) == low
    assert protocol.label("level", "medium", lang) == medium
    assert protocol.label("level", "high", lang) == high


def test_protocol_labels_and_descriptors_translate():
    assert protocol.label("agency", "csw", "sq") == "Qendra për Punë Sociale"
    assert protocol.label("agency", "csw", "sr") == "Centar za socijalni rad"
    assert protocol.label("indicator", "safety", "sr-Cyrl") == "Безбедност"
    assert protocol.descriptor("site_of_injury", "high", "sr") == "Glava, lice ili polni organi"
    assert protocol.descriptor("abuse_history", "not_known", "sq") == "Nuk dihet"
    assert protocol.label("level", "low", "en") == "Low risk"


def test_cmr_terms_follow_kosovo_usage():
    sq = [gettext(m, "sq") for m in protocol.all_messages() if "Case Management Round" in m]
    assert sq and all("Tryeza e Rrumbullakët për Menaxhimin e Rastit" in t for t in sq)
    sr = [gettext(m, "sr") for m in protocol.all_messages() if "Case Management Round" in m]
    assert sr and all("Okrugli sto za vođenje slučaja" in t for t in sr)


def test_sr_cyrl_is_sr_transliterated():
    from cpkit.i18n.transliterate import latin_to_cyrillic

    sr, cyrl = i18n._entries("sr"), i18n._entries("sr-Cyrl")
    assert sr.keys() == cyrl.keys()
    for msgid, entry in sr.items():
        if isinstance(entry.string, str):
            assert cyrl[msgid].string == latin_to_cyrillic(entry.string)
    assert not re.search(r"[čćšžđ]", " ".join(
        e.string for e in cyrl.values() if isinstance(e.string, str)))


def test_language_codes():
    assert i18n.normalise_lang("sr_Cyrl") == "sr-Cyrl"
    assert i18n.normalise_lang("SR-latn") == "sr"
    assert i18n.normalise_lang("sq_XK") == "sq"
    with pytest.raises(ValueError, match="not a cpkit language"):
        i18n.normalise_lang("de")


def test_language_precedence(monkeypatch):
    monkeypatch.setenv("CPKIT_LANG", "sq")
    assert i18n.current_lang() == "sq"
    assert gettext("High risk") == "Rrezik i lartë"
    try:
        assert i18n.set_lang("sr-Cyrl") == "sr-Cyrl"  # the form's setting wins over the env
        assert gettext("High risk") == "Висок ризик"
        assert gettext("High risk", "sr") == "Visok rizik"  # an explicit lang wins over both
        assert gettext("High risk", "en") == "High risk"
        with pytest.raises(ValueError):
            i18n.set_lang("xx")
        assert i18n.current_lang() == "sr-Cyrl"
    finally:
        i18n.set_lang(None)
    assert i18n.current_lang() == "sq"
    monkeypatch.setenv("CPKIT_LANG", "klingon")
    assert i18n.current_lang() == "en"


def test_unknown_message_comes_back_in_english():
    assert gettext("A sentence nobody has marked", "sr") == "A sentence nobody has marked"


PO = """\
msgid ""
msgstr ""
"Language: sr\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && \
(n%100<10 || n%100>=20) ? 1 : 2);\\n"

#, unreviewed
msgid "Low risk"
msgstr "Nizak rizik"

#, fuzzy
msgid "High risk"
msgstr "Visok rizik"

msgid "Medium risk"
msgstr "Srednji rizik"

msgid "Not known"
msgstr ""

#, unreviewed
msgid "{n} case"
msgid_plural "{n} cases"
msgstr[0] "{n} slučaj"
msgstr[1] "{n} slučaja"
msgstr[2] "{n} slučajeva"
"""


@pytest.fixture
def own_catalog(tmp_path, monkeypatch):
    """A small sr catalog of our own, in place of the shipped ones."""
    po = tmp_path / "sr" / "LC_MESSAGES" / "cpkit.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    pot = tmp_path / "cpkit.pot"
    pot.write_text("\n".join(
        f'msgid "{m}"\nmsgstr ""\n' for m in ["Low risk", "High risk", "Medium risk",
                                               "Not known", "{n} case"]), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "TEMPLATE", pot)
    i18n.reload()
    yield
    monkeypatch.undo()
    i18n.reload()


def test_unreviewed_is_used_fuzzy_is_not(own_catalog):
    assert gettext("Low risk", "sr") == "Nizak rizik"      # unreviewed: used
    assert gettext("Low risk", "sr-Cyrl") == "Низак ризик"
    assert gettext("High risk", "sr") == "High risk"       # fuzzy: ignored, as gettext does
    assert gettext("Medium risk", "sr") == "Srednji rizik"  # reviewed
    status = i18n.catalog_status("sr")
    assert (status.total, status.translated, status.missing, status.unreviewed) == (5, 3, 2, 2)
    assert i18n.missing_messages("sr") == ["High risk", "Not known"]


def test_plurals(own_catalog):
    forms = [i18n.ngettext("{n} case", "{n} cases", n, "sr").format(n=n) for n in (1, 3, 5, 21)]
    assert forms == ["1 slučaj", "3 slučaja", "5 slučajeva", "21 slučaj"]
    assert i18n.ngettext("{n} case", "{n} cases", 2, "en") == "{n} cases"


def test_english_leftovers_finds_fixed_english_text():
    definition = protocol.RISK_LEVELS["high"]["definition"]
    html = (f"<h1>{gettext('High risk', 'sr')}</h1><p>{definition}</p>"
            "<td>Милица Јовановић</td><p>Case store ready: sqlite:///x.db</p>")
    found = i18n.english_leftovers(html, "sr")
    assert definition in found
    assert "Case store ready: {url}" not in found  # three words or fewer: not counted
    translated = f"<p>{gettext(definition, 'sr')}</p><p>{gettext(definition, 'sq')}</p>"
    assert i18n.english_leftovers(translated, "sr") == []
    assert i18n.english_leftovers(html, "en") == []
    assert i18n.ENGLISH_LEFTOVERS_CHECK is i18n.english_leftovers


def test_english_leftovers_reads_through_markup_and_placeholders():
    msgid = "The overall level of risk should be the highest indicated from the table."
    html = (
        "<p>The overall level of <b>risk</b> should be\n the highest indicated from the table.</p>"
    )
    assert msgid in i18n.english_leftovers(html, "sq")


def test_bridged_messages_are_still_written_somewhere():
    """cpkit/locale/unmarked.py lists texts other modules write unmarked; none may go stale."""
    import ast

    bridge = ROOT / "cpkit" / "locale" / "unmarked.py"
    listed = [node.args[0].value for node in ast.walk(ast.parse(bridge.read_text()))
              if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "N_"]
    assert listed
    sources = " ".join(
        " ".join(_literals(p)) for p in (ROOT / "cpkit").rglob("*.py") if p != bridge)
    stale = [m for m in listed if m not in sources]
    assert not stale, f"no longer written anywhere; remove from {bridge.name}: {stale}"


def _literals(path: Path) -> list[str]:
    import ast

    return [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_rule_problems_are_shown_in_the_forms_language():
    from cpkit.rules.checks import case_problems
    from tests.conftest import fixture_case

    case = fixture_case("case_high_physical.json")
    case.child.date_of_birth = case.referral.date.replace(year=case.referral.date.year + 1)
    messages = [p.message for p in case_problems(case)]
    assert "is after the referral date" in messages
    assert gettext("is after the referral date", "sq") == "është pas datës së referimit"
    assert gettext("is after the referral date", "sr-Cyrl") == "је после датума упућивања"


def test_sr_cyrl_has_no_latin_left_but_codes_and_markup():
    """Latin left in the Cyrillic catalog is only what must stay Latin (placeholders,
    options, codes); anything else means the Serbian text needs quoting or the
    transliterator a rule."""
    from cpkit.i18n.transliterate import PROTECTED

    left = {}
    for msgid, entry in i18n._entries("sr-Cyrl").items():
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for string in strings:
            rest = PROTECTED.sub(" ", string)
            if re.search(r"[A-Za-z]", rest):
                left[msgid] = string
    assert not left, list(left.items())[:5]


def test_untranslated_fixed_text_compares_two_renderings_and_skips_data():
    doc = {"child": {"given_name": "Милица"},
           "notes": ["The mother says the father called once from an unknown number."]}
    english = ("<h1>Minutes of the meeting</h1><p>Copy for distribution: the child is named "
               "by the case code only.</p><p>2026-10-22 (A1): The mother says the father "
               "called once from an unknown number.</p><style>p { a b c d e }</style>")
    serbian = ("<h1>Zapisnik sa sastanka</h1><p>Copy for distribution: the child is named "
               "by the case code only.</p><p>2026-10-22 (A1): The mother says the father "
               "called once from an unknown number.</p><style>p { a b c d e }</style>")
    assert i18n.untranslated_fixed_text(english, serbian, doc) == [
        "Copy for distribution: the child is named by the case code only."]
    assert i18n.untranslated_fixed_text(english, serbian.replace("Copy", "Kopija"), doc) == []


def test_english_leftovers_leaves_case_data_alone():
    doc = {"meetings": [{"participants": [{"role": "Director of the Center for Social Work"}]}]}
    html = "<td>Director of the Center for Social Work</td>"
    assert i18n.english_leftovers(html, "sq") == ["Center for Social Work"]
    assert i18n.english_leftovers(html, "sq", doc) == []

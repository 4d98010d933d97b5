"""The table of ways a child's identity is written in free text (at least 40), shared
by the redactor's unit test (tests/access/test_redaction_variants.py) and the rendered
reports' test (tests/reports/test_render_variants.py): one table, checked in both."""

# (fixture, how the identity is written in a free text)
VARIANTS = [
    ("case_high_physical.json", v) for v in [
        "Ëndrina", "ëndrina", "ËNDRINA", "Ëndrinës", "Ëndrinën", "Ëndrinës së vogël",
        "Ëndrinen", "Çelaj", "çelaj", "Çelajt", "Çelajve", "Ендрина", "Челај",
        "2019-04-11", "11.04.2019", "11.4.2019", "11/04/2019", "11/4/2019", "11-04-2019",
        "2019/04/11", "11.04.19", "11. 4. 2019", "11 April 2019", "April 11, 2019",
        "11 prill 2019", "11 Prillit 2019", "11. april 2019.", "11. април 2019",
        "Rr. Çamëria nr. 22", "Rr. Çamëria", "Çamëria", "çamëria 22", "Lagjja Ulpianë",
        "Ulpianë", "Lulëkuqja",
    ]
] + [
    ("case_cyrillic_emotional.json", v) for v in [
        "Милица", "милица", "Милице", "Милицом", "Milica", "milica", "Milici",
        "Јовановић", "Jovanović", "Jovanovića", "Јовановићем", "08.03.2014", "8. mart 2014",
        "8. март 2014.", "Лапље Село бб", "Лапље",
    ]
] + [
    ("case_probation.json", v) for v in [
        "Drin", "drin", "Drinit", "Drinin", "Tahiraj", "Tahirajt", "Дрин", "Тахирај",
        "03.12.2010", "3 dhjetor 2010", "December 3, 2010", "Rr. e Lirisë nr. 7", "Karagaç",
    ]
] + [
    ("case_medium_neglect.json", v) for v in [
        "Ulica Šarplaninska 9", "Šarplaninska", "Ulica Šarplaninska 9 (kod pošte), Gračanica",
    ]
]


def variants_of(fixture: str) -> list[str]:
    """The variants written about the child of ``fixture``."""
    return [text for name, text in VARIANTS if name == fixture]


# Keys whose text is no free text (codes, names of people in their roles, the format).
NOT_FREE_TEXT = {"format", "case_id", "municipality", "case_manager", "chair", "referrer"}


def append_to_free_text(document: dict, text: str) -> int:
    """Append ``text`` to every free text of ``document`` (a value with a space, outside
    ``child`` and :data:`NOT_FREE_TEXT`) the exchange format accepts it in; a value the
    format then refuses (a short field) is put back.  Returns how many values keep it.

    Why one helper: the redaction tests write a child's identity into a case the same
    way, whatever they write (one sentence of every form, or the whole variant table)."""
    import copy

    from cpkit.errors import InvalidCase
    from cpkit.exchange import load_case

    originals: dict[str, tuple[object, object, str]] = {}

    def walk(value, path=""):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for k, v in list(items):
            here = f"{path}.{k}" if isinstance(value, dict) else f"{path}[{k}]"
            if k == "child" or (isinstance(value, dict) and k in NOT_FREE_TEXT):
                continue
            if isinstance(v, (dict, list)):
                walk(v, here)
            elif isinstance(v, str) and " " in v:
                originals[here.lstrip(".")] = (value, k, v)
                value[k] = f"{v} {text}"

    walk(document)
    try:
        load_case(copy.deepcopy(document))
    except InvalidCase as err:
        for problem in err.problems:
            parent, key, original = originals[problem.path]
            parent[key] = original
    load_case(copy.deepcopy(document))  # valid now
    return sum(1 for parent, key, _ in originals.values() if text in parent[key])

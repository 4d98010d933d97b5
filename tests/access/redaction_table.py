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

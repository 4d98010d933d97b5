"""Markdown text translated from the catalogs, block by block.

Longer text a person reads (the training cases' stories) is kept as Markdown in one
language, English; translators get it as one message per heading, paragraph and list
item (a paragraph's wrapped lines joined), so a change to one paragraph asks for that
paragraph only.  :func:`blocks` is what the extractor (:mod:`cpkit.i18n.extract`) and
:func:`translate_markdown` both cut along, so the two can never disagree.
"""

from __future__ import annotations

import re

from cpkit.i18n import gettext

# A block's Markdown lead: a heading, a list item; a paragraph has none.
_LEAD = re.compile(r"^(#{1,6} |[-*] |\d+\. )(.*)$")


def blocks(markdown: str) -> list[tuple[str, str]]:
    """``markdown`` as translators see it: ``(lead, text)`` per heading, paragraph and list
    item, its wrapped lines joined by a space (``("## ", "Home visit")``,
    ``("- ", "**School**: ...")``, ``("", "On Monday ...")``)."""
    found: list[list[str]] = []
    current: list[str] | None = None
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        lead = _LEAD.match(stripped)
        if lead and not line.startswith(" "):
            current = [lead.group(1), lead.group(2)]
            found.append(current)
        elif current is not None:  # a wrapped line of the block above
            current[1] += " " + stripped
        else:
            current = ["", stripped]
            found.append(current)
    return [(lead, text) for lead, text in found]


def translate_markdown(markdown: str, lang: str | None = None) -> str:
    """``markdown`` in ``lang``, block by block (an untranslated block stays English)."""
    out: list[str] = []
    previous = None
    for lead, text in blocks(markdown):
        item = lead in ("- ", "* ") or lead[:1].isdigit()
        if out and not (item and previous == "item"):
            out.append("")
        out.append(lead + gettext(text, lang))
        previous = "item" if item else "block"
    return "\n".join(out) + "\n"

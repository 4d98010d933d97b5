"""Where a worked case's reference answer holds text a person reads, and that text translated.

An answer file (``<code>.answer.json``, ``cpkit-training-answer/1``) mixes the
protocol's keys (factor and indicator keys, levels, statuses, agencies, terms, the
closure's reason), dates and people's names with prose: why a factor is rated as it
is, the needs, the summary, the CMR decision, the model care plan's needs, actions
and contingencies, the meetings' views and decisions, the closure's views and notes,
and what happened next (Markdown).  :data:`TEXT_PATHS` names the prose and nothing
else, so the extractor (:func:`cpkit.i18n.extract.extract_training_answer`) and
:func:`translated` (used by :func:`cpkit.training.cases.load`) can never disagree on
what is translated: the English file stays the one source, and a key or a date is
never handed to a translator.

Pure: no model, no Jupyter (the i18n layer's extractor imports it).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from cpkit.i18n import gettext
from cpkit.i18n.markdown import translate_markdown

# A path into the answer document: dict keys, "*" for every key of an object,
# "[]" for every item of an array.  The last part names a string (or, after "[]",
# strings in an array).
TEXT_PATHS: tuple[str, ...] = (
    "title",
    "teaches.[]",
    "risk_factors.*.reason",
    "wellbeing.*.reason",
    "needs.[]",
    "summary",
    "cmr.decision",
    "care_plan.notes",
    "care_plan.actions.[].need",
    "care_plan.actions.[].action",
    "care_plan.actions.[].contingency",
    "care_plan.actions.[].progress.[].note",
    "meetings.[].participants.[].role",
    "meetings.[].apologies.[].role",
    "meetings.[].family_views",
    "meetings.[].child_views",
    "meetings.[].discussion",
    "meetings.[].decisions.[]",
    "meetings.[].next_meeting_reason",
    "meetings.[].cancelled_reason",
    "meetings.[].attendance_support",
    "meetings.[].progress_reports.[].text",
    "meetings.[].progress_reports.[].actions.[].note",
    "closure.child_views",
    "closure.family_views",
    "closure.notes",
    "closure.child_views_not_sought_reason",
    "closure.family_views_not_sought_reason",
)
# Of those, the ones written in Markdown: translated block by block
# (:func:`cpkit.i18n.markdown.blocks`), like a case's story.
MARKDOWN_PATHS: frozenset[str] = frozenset({"follow_up"})
ALL_PATHS: tuple[str, ...] = (*TEXT_PATHS, *sorted(MARKDOWN_PATHS))

# What a translator is told about each kind of text (the catalog's comment).
COMMENTS = {
    "title": "TRANSLATORS: the title of a fictional training case",
    "teaches.[]": "TRANSLATORS: a topic a fictional training case teaches",
    "follow_up": ("TRANSLATORS: what happened next in a fictional training case "
                  "(Markdown: keep **bold** and the people's names)"),
}
DEFAULT_COMMENT = ("TRANSLATORS: part of the reference answer of a fictional training case "
                   "(keep the people's names)")


def comment(path: str) -> str:
    return COMMENTS.get(path, DEFAULT_COMMENT)


def _places(node: Any, parts: list[str]) -> Iterator[tuple[Any, Any]]:
    """``(container, key)`` of every non-empty string at ``parts`` under ``node``."""
    head, rest = parts[0], parts[1:]
    if head == "[]":
        keys: list[Any] = list(range(len(node))) if isinstance(node, list) else []
    elif head == "*":
        keys = list(node) if isinstance(node, dict) else []
    else:
        keys = [head] if isinstance(node, dict) and head in node else []
    for key in keys:
        value = node[key]
        if rest:
            yield from _places(value, rest)
        elif isinstance(value, str) and value.strip():
            yield node, key


def texts(answer: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every text of ``answer`` a person reads, in :data:`ALL_PATHS`
    order (Markdown whole: the caller cuts it into blocks)."""
    for path in ALL_PATHS:
        for container, key in _places(answer, path.split(".")):
            yield path, container[key]


def translated(answer: dict[str, Any], lang: str | None = None) -> dict[str, Any]:
    """A deep copy of ``answer`` with its texts in ``lang`` (default: the current
    language; an untranslated text stays English); keys, codes, dates and names untouched."""
    out = copy.deepcopy(answer)
    for path in ALL_PATHS:
        markdown = path in MARKDOWN_PATHS
        for container, key in _places(out, path.split(".")):
            text = container[key]
            container[key] = (translate_markdown(text, lang) if markdown
                              else gettext(text, lang))
    return out

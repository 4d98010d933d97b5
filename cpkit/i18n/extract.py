"""Babel extraction methods for cpkit (named in ``babel.cfg``).

- :func:`extract_jinja2`: the report templates translate fixed text with a filter,
  ``{{ "Prepared on" | t }}``, which Jinja2's own extractor does not see (it knows
  ``_()``, ``gettext()`` and ``{% trans %}``).  This yields everything Jinja2's does, plus
  every string literal piped straight into the ``t`` filter.
- :func:`extract_python`: Babel's Python extractor misses calls inside f-strings
  (``f'<p>{ctx.t("Overall level of risk")}</p>'``); this yields everything Babel's does,
  plus the marked calls the syntax tree shows inside f-strings.

- :func:`extract_training_answer`: the texts of the worked training cases' reference
  answers (their ``.answer.json`` files: title, topics, reasons, care plan, ...), shown
  to trainees and trainers in their language.
- :func:`extract_markdown`: a training case's story (``.story.md``), one message per
  heading, paragraph and list item (:func:`cpkit.i18n.markdown.blocks`).

Used only by ``pybabel extract`` (scripts/update-catalogs).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# The template filter(s) that translate the literal before them.
TRANSLATE_FILTERS = frozenset({"t"})


def extract_jinja2(fileobj, keywords, comment_tags, options: dict[str, Any]) -> Iterator[tuple]:
    """Babel extraction method: Jinja2's messages plus ``"literal" | t`` ones."""
    from jinja2 import Environment
    from jinja2.ext import babel_extract
    from jinja2.lexer import get_lexer

    source = fileobj.read()
    seen: set[tuple[int, str]] = set()
    for lineno, funcname, message, comments in babel_extract(
            _Reread(source), keywords, comment_tags, options):
        seen.add((lineno, message if isinstance(message, str) else ""))
        yield lineno, funcname, message, comments

    encoding = options.get("encoding", "utf-8")
    text = source.decode(encoding) if isinstance(source, bytes) else source
    extensions = [e.strip() for e in options.get("extensions", "").split(",") if e.strip()]
    env = Environment(extensions=extensions)
    tokens = [t for t in get_lexer(env).tokeniter(text, None) if t[1] != "whitespace"]
    # (lineno, type, raw value)
    for i, (lineno, kind, value) in enumerate(tokens):
        if kind != "string" or i + 2 >= len(tokens):
            continue
        (_, kind1, value1), (_, kind2, value2) = tokens[i + 1], tokens[i + 2]
        if not (kind1 == "operator" and value1 == "|" and kind2 == "name"
                and value2 in TRANSLATE_FILTERS):
            continue
        message = _literal(value)
        if message and (lineno, message) not in seen:
            seen.add((lineno, message))
            yield lineno, None, message, []


def extract_python(fileobj, keywords, comment_tags, options: dict[str, Any]) -> Iterator[tuple]:
    """Babel extraction method: Babel's Python messages plus those inside f-strings."""
    import ast

    from babel.messages.extract import extract_python as babel_python

    source = fileobj.read()
    seen: set[tuple[int, str]] = set()
    for lineno, funcname, message, comments in babel_python(
            _Reread(source), keywords, comment_tags, options):
        seen.add((lineno, message if isinstance(message, str) else ""))
        yield lineno, funcname, message, comments
    text = source.decode(options.get("encoding", "utf-8")) if isinstance(source, bytes) else source
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return
    names = set(keywords)
    for fstring in ast.walk(tree):
        if not isinstance(fstring, ast.JoinedStr):
            continue
        for node in ast.walk(fstring):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if name not in names or not (isinstance(first, ast.Constant)
                                         and isinstance(first.value, str)):
                continue
            if (node.lineno, first.value) in seen:
                continue
            seen.add((node.lineno, first.value))
            if name == "ngettext" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                yield node.lineno, name, (first.value, node.args[1].value), []
            else:
                yield node.lineno, None, first.value, []


def _literal(raw: str) -> str:
    """The value of a Jinja2 string token as written in the template."""
    import ast

    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return ""
    return value if isinstance(value, str) else ""


def _Reread(data: bytes | str):
    """A fresh file object over what was already read, for the wrapped extractor."""
    import io

    return io.BytesIO(data if isinstance(data, bytes) else data.encode("utf-8"))


def extract_training_answer(fileobj, keywords, comment_tags,
                            options: dict[str, Any]) -> Iterator[tuple]:
    """Babel extraction method: every text a person reads in a worked training case's
    reference answer (``.answer.json``): its title, what it teaches, the reasons, needs,
    summary, CMR decision, model care plan, meetings, closure (one message each), and
    what happened next (Markdown, one message per block).  Which texts: the paths of
    :mod:`cpkit.training.answer_text`, which :func:`cpkit.training.cases.load`
    translates along the same paths."""
    import json

    from cpkit.i18n.markdown import blocks
    from cpkit.training import answer_text

    answer = json.loads(fileobj.read().decode(options.get("encoding", "utf-8")))
    for path, text in answer_text.texts(answer):
        note = [answer_text.comment(path)]
        if path in answer_text.MARKDOWN_PATHS:
            for _lead, block in blocks(text):
                yield 1, "N_", block, note
        else:
            yield 1, "N_", text, note


def extract_markdown(fileobj, keywords, comment_tags, options: dict[str, Any]) -> Iterator[tuple]:
    """Babel extraction method: each heading, paragraph and list item of a Markdown text
    (a fictional training case's story), as :func:`cpkit.i18n.markdown.translate_markdown`
    looks them up."""
    from cpkit.i18n.markdown import blocks

    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    line = 1
    for _lead, block in blocks(text):
        yield line, "N_", block, ["TRANSLATORS: part of a fictional training case's story "
                                  "(Markdown: keep **bold** and the people's names)"]

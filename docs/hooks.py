"""MkDocs hooks: the pages that are generated, so that they cannot drift.

- ``cli.md``, the command reference, is each command's own ``--help`` (every command in
  :data:`cpkit.cli.base.COMMANDS` and every subcommand of a group), produced at build
  time and never committed.
- ``architecture.md`` takes the README's "Architecture" section where it says
  ``<!-- README: Architecture -->``: the README keeps that sketch, the manual shows the
  same text.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click
from click.testing import CliRunner
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 100
if str(ROOT) not in sys.path:  # the commands of this checkout, not of another install
    sys.path.insert(0, str(ROOT))


def _help(path: list[str]) -> str:
    from cpkit.cli import main

    result = CliRunner().invoke(main, [*path, "--help"], prog_name="cpkit", terminal_width=WIDTH,
                                max_content_width=WIDTH, env={"CPKIT_LANG": "en"})
    if result.exit_code != 0:
        raise RuntimeError(f"cpkit {' '.join(path)} --help failed: {result.output}")
    return result.output.rstrip()


def _commands(group: click.Group, path: list[str]) -> list[list[str]]:
    """Every command under ``group`` as its argument path, groups before their members."""
    found = []
    ctx = click.Context(group, info_name="cpkit")
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if command is None or getattr(command, "hidden", False):
            continue
        found.append([*path, name])
        if isinstance(command, click.Group):
            found.extend(_commands(command, [*path, name]))
    return found


def cli_reference() -> str:
    """The CLI reference page: ``cpkit --help``, then each command's ``--help``."""
    from cpkit.cli import main

    os.environ.setdefault("CPKIT_LANG", "en")
    parts = [
        "# Command reference",
        "",
        "Generated when the manual is built, from each command's own `--help` "
        "(`docs/hooks.py`); `cpkit COMMAND --help` prints the same. Exit status: 0 done, "
        "2 bad input (the message names the case, the field and the problem), 1 anything "
        "else; messages go to stderr.",
        "",
        "## cpkit",
        "",
        "```text",
        _help([]),
        "```",
    ]
    for path in _commands(main, []):
        name = " ".join(path)
        parts += ["", f"{'#' * (1 + len(path))} cpkit {name}", "", "```text", _help(path),
                  "```"]
    return "\n".join(parts) + "\n"


def readme_section(title: str) -> str:
    """The body of the README's ``## title`` section (without its heading)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if match is None:
        raise RuntimeError(f"README.md has no '## {title}' section")
    return match.group(1).strip()


def on_files(files, config):
    files.append(File.generated(config, "cli.md", content=cli_reference()))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    return re.sub(r"<!-- README: (.+?) -->", lambda m: readme_section(m.group(1)), markdown)

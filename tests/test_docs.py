"""The manual (docs/, MkDocs) builds with warnings as errors, its command reference is
the commands' own ``--help``, and a broken link fails the build."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), CPKIT_LANG="en")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--config-file", str(project / "mkdocs.yml"), "--site-dir",
                           str(site)], capture_output=True, text=True, env=env, timeout=600)


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copy(ROOT / "README.md", project)
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = build(ROOT, site)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "WARNING" not in result.stderr, result.stderr[-4000:]
    return site


def _text(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_every_page_is_built(site):
    for page in ("index", "usage", "forms", "reports", "access", "deployment",
                 "notifications", "training", "languages", "protocol", "protocol-rules",
                 "case-format", "architecture", "performance", "development", "cli"):
        assert (site / f"{page}.html").is_file(), page


def test_the_cli_reference_is_each_commands_help(site):
    """Generated at build time: what ``cpkit render --help`` prints is on the page."""
    page = _text((site / "cli.html").read_text(encoding="utf-8"))
    for path in (["render"], ["serve"], ["user", "add"], ["training", "session", "list"]):
        help_text = subprocess.run([sys.executable, "-m", "cpkit", *path, "--help"],
                                   capture_output=True, text=True, check=True, cwd=ROOT,
                                   env=dict(os.environ, PYTHONPATH=str(ROOT), CPKIT_LANG="en",
                                            COLUMNS="100")).stdout
        lines = [line.strip() for line in help_text.splitlines() if line.strip()]
        assert lines and lines[0] == f"Usage: cpkit {' '.join(path)} [OPTIONS]" + \
            lines[0].split("[OPTIONS]", 1)[1]
        for line in lines:  # the same words, whatever the wrapping
            for word in line.split():
                assert word in page, (path, word)
    from cpkit.cli.base import COMMANDS

    for command in COMMANDS:
        assert f"cpkit {command}" in page, command
    assert not (ROOT / "docs" / "cli.md").exists()  # generated, never committed


def test_the_architecture_page_is_the_readmes_section(site):
    page = _text((site / "architecture.html").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture\n", 1)[1]
    assert "Arrows point down at what a layer may import" in section
    assert "Arrows point down at what a layer may import" in page
    assert "store/ (SQLAlchemy + Alembic" in page


def test_a_broken_link_or_anchor_fails_the_build(tmp_path):
    project = copy_project(tmp_path)
    usage = project / "docs" / "usage.md"
    usage.write_text(usage.read_text() + "\nSee [the missing page](no-such-page.md).\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr

    usage.write_text(usage.read_text().replace("no-such-page.md", "access.md#no-such-anchor"))
    result = build(project, tmp_path / "site2")
    assert result.returncode != 0
    assert "no-such-anchor" in result.stderr


def test_the_readme_is_the_first_screen_and_the_architecture():
    """The rest of the manual lives in docs/; the README's links to it resolve."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = [line for line in readme.splitlines() if line.startswith("## ")]
    assert headings == ["## The manual", "## Architecture"]
    assert "make demo" in readme and "make test" in readme
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    assert links
    for link in links:
        assert (ROOT / link).is_file(), link


def test_the_usage_table_names_every_command_and_only_real_options():
    """docs/usage.md's overview table is written by hand: it must name every command,
    and every ``--option`` it shows must be one the command (or its subcommand) has."""
    import click

    from cpkit.cli import main
    from cpkit.cli.base import COMMANDS, load_commands

    load_commands()
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    named, wrong = set(), []
    for row in (line for line in usage.splitlines() if line.startswith("| `")):
        for shown in re.findall(r"`([^`]+)`", row.split(" | ")[0]):
            words = shown.split()
            words = words[1:] if words[0] == "cpkit" else words
            command = main.commands.get(words[0])
            if command is None:
                wrong.append(shown)
                continue
            named.add(words[0])
            commands = [command]
            if isinstance(command, click.Group):
                sub = command.commands.get(words[1]) if len(words) > 1 else None
                commands = [sub] if sub else [command, *command.commands.values()]
            options = {o for c in commands for p in c.params for o in (*p.opts, *p.secondary_opts)}
            wrong += [(shown, o) for o in re.findall(r"--[a-z][a-z0-9-]*", shown)
                      if o not in options]
    assert wrong == []
    assert sorted(set(COMMANDS) - named) == []

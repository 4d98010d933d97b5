"""Training commands: the worked cases, their answer keys and group sessions."""

from __future__ import annotations

from pathlib import Path

import click

from cpkit import protocol
from cpkit.cli.base import main
from cpkit.i18n import LANGUAGES, _


@main.group()
def training() -> None:
    """Worked training cases, answer keys and group sessions (fictional cases only)."""


@training.command("list")
def list_() -> None:
    """The worked cases: code, reference level, what each teaches."""
    from cpkit.training import cases

    rows = [[tc.code, protocol.label("level", tc.overall().level), tc.title,
             ", ".join(tc.reference.teaches)] for tc in cases.load_all()]
    from tabulate import tabulate

    click.echo(tabulate(rows, headers=[_("code"), _("reference level"), _("title"),
                                       _("teaches")]))


@training.command("answer-key")
@click.argument("case_id")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default="html",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write here (default: answer-key-CASE.FORMAT in this folder).")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of the key (default: CPKIT_LANG, else English).")
def answer_key(case_id: str, fmt: str, output: Path | None, lang: str | None) -> None:
    """Render the trainer's answer key of CASE_ID (runs the answer key notebook)."""
    from cpkit.training import answer_key as key

    data = key.render(case_id, fmt, lang)
    output = output or Path(f"answer-key-{case_id}.{fmt}")
    output.write_bytes(data)
    click.echo(_("wrote {path}").format(path=output), err=True)


@training.group()
def session() -> None:
    """Group sessions: the trainees' answers and their agreement."""


@session.command("list")
def session_list() -> None:
    """The sessions kept on this machine, newest first."""
    from cpkit.training import session as sessions

    rows = []
    for name in sessions.names():
        answers = sessions.answers(name)
        rows.append([name, len(answers), len({a["trainee"] for a in answers})])
    from tabulate import tabulate

    click.echo(tabulate(rows, headers=[_("session"), _("answers"), _("trainees")]))


@session.command("show")
@click.argument("name")
@click.option("--case", "case_id", help="Only the answers to this case.")
def session_show(name: str, case_id: str | None) -> None:
    """How the group rated each factor, and Fleiss' kappa (overall and per factor)."""
    from cpkit.training import agreement
    from cpkit.training import session as sessions

    answers = [a for a in sessions.answers(name) if case_id in (None, a["case"])]
    result = agreement.session_agreement(answers)

    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    click.echo(_("{trainees} trainee(s), {answers} answer(s), case(s): {cases}").format(
        trainees=result.trainees, answers=result.answers, cases=", ".join(result.cases) or "-"))
    click.echo(_("Fleiss' kappa over all factors: {kappa}").format(kappa=fmt(result.kappa)))
    rows = [[protocol.label("factor", f.factor),
             *(f.counts[c] for c in agreement.CATEGORIES), fmt(f.proportion), fmt(f.kappa)]
            for f in result.factors]
    from tabulate import tabulate

    click.echo(tabulate(rows, headers=[_("factor"),
                                       *(protocol.label("level", c) for c in agreement.CATEGORIES),
                                       "P", "kappa"]))
    worst = result.most_disagreed()
    if worst:
        click.echo(_("Most disagreement: {factors}").format(
            factors=", ".join(protocol.label("factor", f.factor) for f in worst)))

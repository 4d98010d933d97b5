"""A store made by the previous schema (0005) upgrades with ``cpkit init``, losing nothing."""

import datetime as dt
import json

from alembic import command
from alembic.config import Config
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text

from cpkit import crypto
from cpkit.cli import main
from cpkit.paths import database_url
from cpkit.store import Store, codec
from cpkit.store.repository import MIGRATIONS
from cpkit.store.schema import deadlines
from tests.conftest import CASE_FILES, fixture_document

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _previous_store(url: str) -> None:
    """The schema at revision 0005 holding the fixture cases as the previous version of
    cpkit wrote them: sealed documents, its deadline rows (the old "agenda" and
    "progress_reports" ones included, always open)."""
    engine = create_engine(url)
    key = crypto.current_key(create=True)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
        for name in CASE_FILES:
            document = fixture_document(name)
            conn.execute(text(
                "INSERT INTO cases (case_id, version, training, stage, created_at, updated_at,"
                " document) VALUES (:c, 3, :t, 'review', :at, :at, :d)"),
                {"c": document["case_id"], "t": bool(document.get("training")), "at": NOW,
                 "d": codec.encode(document, key)})
            for kind in ("agenda", "progress_reports"):
                conn.execute(text("INSERT INTO deadlines (case_id, name, kind, due) "
                                  "VALUES (:c, :k, :k, '2026-01-01')"),
                             {"c": document["case_id"], "k": kind})
    engine.dispose()


def _export(codes: list[str]) -> list[dict]:
    result = CliRunner().invoke(main, ["export", *codes, "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cpkit_init_upgrades_a_previous_store_and_loses_nothing(cpkit_home):
    url = database_url()
    _previous_store(url)
    codes = [fixture_document(n)["case_id"] for n in CASE_FILES]
    expected = {fixture_document(n)["case_id"]: fixture_document(n) for n in CASE_FILES}

    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert f"Deadlines of {len(codes)} case(s) recomputed" in result.stderr

    exported = _export(codes)
    for document in exported:  # the full documents, exactly as they went in
        derived = document.pop("derived")
        assert document == expected[document["case_id"]]
        # Meetings without status read as held: each has its minutes deadline.
        held = {m["date"] for m in document.get("meetings", [])}
        minutes = {e["meeting"] for e in derived["deadline_list"] if e["kind"] == "minutes"}
        assert minutes == held, document["case_id"]
    store = Store(url)
    with store.engine.connect() as conn:
        kinds = {r.kind for r in conn.execute(select(deadlines.c.kind))}
        versions = conn.execute(text("SELECT case_id, version FROM case_versions")).all()
    assert not {"agenda", "progress_reports"} & kinds
    assert sorted(versions) == sorted((code, 3) for code in codes)
    history = store.history(codes[0])
    assert [(r.version, actor) for r, _, actor in history] == [(3, "cpkit init")]
    assert history[0][0].case.to_document() == expected[codes[0]]
    store.close()

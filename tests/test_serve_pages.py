"""Voila's page templates compiled once per process (cpkit.serve_pages): real Jinja
environments and Voila's own exporter."""

from __future__ import annotations

import jinja2
import pytest

from cpkit.serve_pages import cache_for, share_compiled_templates


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    names: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def environment(folder, **options) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), **options)
    env.bytecode_cache = cache_for(env)
    return env


def test_a_second_environment_uses_the_compiled_template(tmp_path, compiles):
    (tmp_path / "page.j2").write_text("HX-{{ n }} ok")
    first = environment(tmp_path).get_template("page.j2").render(n=12)
    second = environment(tmp_path).get_template("page.j2").render(n=12)
    assert first == second == "HX-12 ok"
    assert compiles == ["page.j2"]


def test_a_changed_template_is_compiled_again(tmp_path, compiles):
    (tmp_path / "changed.j2").write_text("before {{ n }}")
    assert environment(tmp_path).get_template("changed.j2").render(n=1) == "before 1"
    (tmp_path / "changed.j2").write_text("after {{ n }}")
    assert environment(tmp_path).get_template("changed.j2").render(n=1) == "after 1"
    assert compiles == ["changed.j2", "changed.j2"]


def test_async_and_plain_environments_keep_their_own_code(tmp_path, compiles):
    (tmp_path / "both.j2").write_text("{{ n }}")
    plain = environment(tmp_path).get_template("both.j2")
    asynchronous = environment(tmp_path, enable_async=True).get_template("both.j2")
    assert plain.render(n=3) == "3"
    import asyncio

    assert asyncio.run(asynchronous.render_async(n=3)) == "3"
    assert compiles == ["both.j2", "both.j2"]


def test_every_voila_exporter_shares_the_compiled_page_templates(compiles):
    from voila.exporter import VoilaExporter

    from cpkit import serve_pages

    serve_pages._caches.clear()  # (another test of this process may have filled it)
    share_compiled_templates()
    share_compiled_templates()  # once is once
    pages = [VoilaExporter(template_name="lab").environment.get_template("index.html.j2")
             for _ in range(2)]
    assert pages[0] is not pages[1]  # two exporters, two environments...
    assert compiles.count("index.html.j2") == 1  # ...one compilation

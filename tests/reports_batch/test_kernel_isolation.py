"""Warm kernels keep nothing of one case for the next (issue 8: a hard requirement).

Case A carries a canary (a unique word in its child's name and in free-text fields);
case B is rendered after it in the same kernel.  Neither B's executed notebook, nor B's
report, nor the kernel after B may contain anything of A; and B rendered warm is
byte-for-byte B rendered in a fresh kernel.  Hostile notebooks (files, builtins,
environment, caches, figures, a failing cell) run through the papermill engine itself.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys

import nbformat
import papermill
import pytest

from cpkit import exchange
from cpkit.reports import batch, isolation
from cpkit.reports.engine import ENGINE_NAME, WarmEngine, execute_nodes
from cpkit.reports.pool import KernelPool
from cpkit.reports.render import render_report
from tests.conftest import AS_OF, fixture_case, fixture_document, private_home

CANARY = "Qzvorakanary"
A, B = "CA-2026-0001", "PR-2026-0001"


def canary_case():
    doc = fixture_document("case_high_physical.json")
    doc["case_id"] = A
    doc["child"]["given_name"] = CANARY
    doc["referral"]["concern"] = f"{CANARY} concern written only in case A"
    doc["meetings"][-1]["discussion"] = f"{CANARY} discussed only in case A"
    return exchange.load_case(doc)


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A then B in one warm kernel, B alone in another, B cold; and the warm kernel."""
    home = tmp_path_factory.mktemp("iso-home")
    with private_home(home) as store:
        store.import_cases([canary_case(), fixture_case("case_high_physical.json")])
        pool = KernelPool(size=1)
        alone = KernelPool(size=1)
        try:
            def options(name):
                return batch.Options(kinds=("minutes",), store_url=store.url, as_of=AS_OF,
                                     redact=False, out_dir=home / name)

            a = batch.render_one(store, A, "minutes", options("warm"), pool=pool)
            with pool.kernel("python3", batch.render.kernel_env()) as kernel:
                after_a = kernel.namespace()
            b = batch.render_one(store, B, "minutes", options("warm"), pool=pool)
            b_alone = batch.render_one(store, B, "minutes", options("alone"), pool=alone)
            one_call = KernelPool(size=1)  # A and B in one request to one kernel
            try:
                pair = batch.render_cases(store, [A, B], options("pair"), pool=one_call)
                pair_started = one_call.started
            finally:
                one_call.close()
            cold = render_report(store, B, "minutes", as_of=AS_OF, redact=False,
                                 out_dir=home / "cold")
            with pool.kernel("python3", batch.render.kernel_env()) as kernel:
                state = {
                    "names": kernel.namespace(),
                    "cases": kernel.evaluate(
                        "[getattr(o, 'case_id', '') for o in __import__('gc').get_objects() "
                        "if type(o).__name__ in ('Case', 'ReportContext', 'Record')]"),
                    "cwd": kernel.evaluate("__import__('os').listdir('.')"),
                    "environ": kernel.evaluate(f"{CANARY!r} in repr(__import__('os').environ)"),
                }
            yield {"a": a, "b": b, "b_alone": b_alone, "cold": cold, "state": state,
                   "after_a": after_a, "started": pool.started, "pair": pair,
                   "pair_started": pair_started}
        finally:
            pool.close()
            alone.close()


def test_case_a_shows_its_canary(warm):
    # The canary is really there in A: otherwise the tests below prove nothing.
    from pathlib import Path

    assert CANARY in Path(warm["a"].path).read_text(encoding="utf-8")
    assert CANARY in Path(warm["a"].path).with_suffix(".ipynb").read_text(encoding="utf-8")


def test_one_kernel_served_both_cases(warm):
    assert warm["started"] == 1


def test_case_b_holds_nothing_of_case_a(warm):
    from pathlib import Path

    page = Path(warm["b"].path).read_text(encoding="utf-8")
    notebook = Path(warm["b"].path).with_suffix(".ipynb").read_text(encoding="utf-8")
    for text in (page, notebook):
        assert CANARY not in text
        assert A not in text
    assert B in page


def test_warm_render_equals_a_fresh_kernel_and_the_cold_pipeline(warm):
    from pathlib import Path

    assert warm["b"].sha256 == warm["b_alone"].sha256 == warm["cold"].sha256
    warm_nb = Path(warm["b"].path).with_suffix(".ipynb").read_text(encoding="utf-8")
    alone_nb = Path(warm["b_alone"].path).with_suffix(".ipynb").read_text(encoding="utf-8")
    assert warm_nb == alone_nb  # execution counts start at 1 again, same outputs
    counts = [c.execution_count for c in nbformat.reads(warm_nb, 4).cells
              if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_a_then_b_in_one_kernel_call_is_b_rendered_alone(warm):
    # render_cases: both notebooks in one request (cpkit.reports.runner), the kernel
    # wiped and checked between them; B's files are byte for byte B's in a fresh kernel.
    from pathlib import Path

    a, b = warm["pair"]
    assert (a.case_id, a.status, b.case_id, b.status) == (A, "rendered", B, "rendered")
    assert warm["pair_started"] == 1
    assert CANARY in Path(a.path).read_text(encoding="utf-8")
    assert b.sha256 == warm["b_alone"].sha256
    pair_nb = Path(b.path).with_suffix(".ipynb").read_bytes()
    assert pair_nb == Path(warm["b_alone"].path).with_suffix(".ipynb").read_bytes()
    assert CANARY.encode() not in pair_nb


def test_the_kernel_after_b_has_an_empty_namespace_and_no_case_objects(warm):
    state = warm["state"]
    assert set(state["names"]) <= {"In", "Out", "_dh", "_ih", "_oh", "exit", "quit",
                                   "get_ipython", "open", "__builtin__", "__builtins__",
                                   "__name__"}
    assert "ctx" not in state["names"] and "case_id" not in state["names"]
    assert state["cases"] == "[]"
    assert state["cwd"] == "[]"
    assert state["environ"] == "False"
    # The check is not vacuous: right after A the wiped kernel listed the same names.
    assert set(warm["after_a"]) == set(state["names"])


# --- hostile notebooks through the papermill engine ----------------------------------------

LEAVE = r'''
import builtins, functools, os, sys
import matplotlib.pyplot as plt
import cpkit.reports.sections as sections
secret = "{canary}"
open("left-behind.txt", "w").write(secret)
builtins.leaked_{canary} = secret
os.environ["CPKIT_LEAK"] = secret
sys.path.append("/nowhere/" + secret)
sections._leak = functools.cache(lambda key: key + "!")
sections._leak(secret)
plt.figure(); plt.title(secret)
import cpkit.i18n; cpkit.i18n.set_lang("sq")
import matplotlib; matplotlib.rcParams["font.size"] = 31
'''

LOOK = r'''
canary = "{half}" "{rest}"  # not the canary itself: this cell's own source is in linecache
import builtins, json, os, sys, linecache
import matplotlib, matplotlib.pyplot as plt
import cpkit.reports.sections as sections, cpkit.i18n
print(json.dumps({{
    "secret": "secret" in globals(),
    "files": os.listdir("."),
    "builtins": any(canary in n for n in dir(builtins)),
    "environ": "CPKIT_LEAK" in os.environ,
    "path": any(canary in p for p in sys.path),
    "cache": sections._leak.cache_info().currsize,
    "figures": plt.get_fignums(),
    "lang": cpkit.i18n.current_lang(),
    "rc": matplotlib.rcParams["font.size"],
    "lines": any(canary in "".join(v[2]) for v in list(linecache.cache.values())
                 if isinstance(v, tuple) and len(v) > 2),
    "last": getattr(sys, "last_value", None) is not None,
    "history": [len(In), len(Out)],
}}))
'''

RAISE = 'case_name = "{canary}"\nraise RuntimeError(case_name)'


def _notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s.format(canary=CANARY, half=CANARY[:5],
                                                   rest=CANARY[5:])) for s in sources]
    return nb


def _run(nb, pool, **kwargs):
    return papermill.execute_notebook(nb, None, engine_name=ENGINE_NAME, kernel_name="python3",
                                      progress_bar=False, pool=pool, **kwargs)


# The same look, shown instead of printed: a printed line makes the runner hand its case
# back to be run cell by cell, which the last test here checks.
SHOW = ("from IPython.display import display\n"
        + LOOK.replace("print(json.dumps({{", 'display({{"text/plain": json.dumps({{')
        .replace("}}))", "}})}}, raw=True)"))


def _many(nbs, pool):
    return execute_nodes(nbs, kernel_name="python3", pool=pool, execution_timeout=60)


def test_hostile_notebooks_in_one_kernel_call_are_wiped_between_cases():
    pool = KernelPool(size=1)
    try:
        left, failed, looked, printed = _many(
            [_notebook(LEAVE), _notebook(RAISE), _notebook(SHOW), _notebook("print('hi')")],
            pool)
        assert pool.started == 1
        by_cells = _run(_notebook("print('hi')"), pool)
    finally:
        pool.close()
    assert isinstance(failed, papermill.PapermillExecutionError)
    assert (failed.ename, failed.evalue) == ("RuntimeError", CANARY)
    assert left.cells[0].execution_count == 1 and left.cells[0].outputs == []
    seen = json.loads(looked.cells[-1].outputs[0].data["text/plain"])
    assert seen == {"secret": False, "files": [], "builtins": False, "environ": False,
                    "path": False, "cache": 0, "figures": [], "lang": "en",
                    "rc": seen["rc"], "lines": False, "last": False, "history": [2, 0]}
    assert seen["rc"] != 31
    # printed output: that case ran again cell by cell, as papermill's engine runs it
    assert printed.cells[0].outputs == by_cells.cells[0].outputs
    assert printed.cells[0].outputs[0].text == "hi\n"


def test_a_case_that_breaks_the_wipe_ends_the_call_the_rest_get_a_new_kernel():
    pool = KernelPool(size=1)
    try:
        broke, looked = _many([_notebook("get_ipython().reset = None"),
                               _notebook(SHOW.replace("sections._leak.cache_info().currsize",
                                                      "0"))], pool)
        assert pool.started == 2
    finally:
        pool.close()
    assert broke.cells[0].execution_count == 1
    assert json.loads(looked.cells[-1].outputs[0].data["text/plain"])["secret"] is False


def test_the_engine_is_registered_through_the_entry_point():
    from papermill.engines import papermill_engines

    assert papermill_engines.get_engine(ENGINE_NAME) is WarmEngine


def test_what_a_hostile_notebook_leaves_is_gone_before_the_next():
    pool = KernelPool(size=1)
    try:
        _run(_notebook(LEAVE), pool)
        with pytest.raises(papermill.PapermillExecutionError):
            _run(_notebook(RAISE), pool)
        looked = _run(_notebook(LOOK), pool)
        assert pool.started == 1
    finally:
        pool.close()
    seen = json.loads(looked.cells[0].outputs[0].text)
    assert seen == {"secret": False, "files": [], "builtins": False, "environ": False,
                    "path": False, "cache": 0, "figures": [], "lang": "en",
                    "rc": seen["rc"], "lines": False, "last": False, "history": [2, 0]}
    assert seen["rc"] != 31


def test_a_kernel_that_cannot_be_wiped_is_replaced_not_reused():
    # A notebook that makes the wipe itself fail: the next case gets a new kernel.
    breaker = "get_ipython().reset = None"
    pool = KernelPool(size=1)
    try:
        _run(_notebook(breaker), pool)
        looked = _run(_notebook(LOOK.replace("sections._leak.cache_info().currsize", "0")),
                      pool)
        assert pool.started == 2
    finally:
        pool.close()
    assert json.loads(looked.cells[0].outputs[0].text)["secret"] is False


def test_importing_the_engine_before_papermill_works():
    # papermill loads entry points while it is imported: no circular import either way.
    import subprocess

    code = ("import cpkit.reports.engine as e, papermill.engines as p; "
            "assert p.papermill_engines.get_engine('cpkit-warm') is e.WarmEngine")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_kept_caches_are_keyed_by_language_country_class_or_file_never_by_case():
    # Every cache the wipe keeps exists; a renamed one must be looked at again.
    for qualname in isolation.KEPT_CACHES:
        module, _, name = qualname.rpartition(".")
        value = getattr(importlib.import_module(module), name)
        assert isinstance(value, functools._lru_cache_wrapper), qualname
    assert "cpkit.reports.isolation" in sys.modules

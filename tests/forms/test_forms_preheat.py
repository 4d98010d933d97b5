"""What a page's visitor waits for after the click is the form itself, not imports:
``preheat()`` (each form notebook's first cell, run while Voila preheats the kernel)
loads every library the first request needs.  Each form is built in a fresh Python, as
in a fresh kernel, and the packages it imports after ``preheat()`` are listed."""

import os
import subprocess
import sys

import pytest

PROBE = """
import importlib, os, sys
module, cls, query = sys.argv[1:4]
from cpkit.forms.base import preheat
page = importlib.import_module(module)
preheat()
before = set(sys.modules)
os.environ["QUERY_STRING"] = query
getattr(page, cls).from_query()
print(sorted({m.split(".")[0] for m in set(sys.modules) - before} - {"cpkit"}))
"""

PAGES = [("cpkit.forms.landing", "Landing", ""),
         ("cpkit.forms.referral", "ReferralForm", "case=PR-2026-0001"),
         ("cpkit.forms.risk", "RiskForm", "case=PR-2026-0001"),
         ("cpkit.forms.wellbeing", "WellbeingForm", "case=PR-2026-0001"),
         ("cpkit.forms.care_plan", "CarePlanForm", "case=PR-2026-0001"),
         ("cpkit.forms.cmr", "MeetingForm", "case=PR-2026-0001&meeting=1"),
         ("cpkit.forms.closure", "ClosureForm", "case=GJ-2026-0001&lang=sq")]


@pytest.mark.parametrize(("module", "cls", "query"), PAGES, ids=[p[1] for p in PAGES])
def test_a_form_imports_nothing_after_its_kernel_was_preheated(home_store, module, cls,
                                                               query):
    found = subprocess.run([sys.executable, "-c", PROBE, module, cls, query],
                           capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.strip() == "[]"


@pytest.mark.parametrize("preheat", ["False", None])
def test_a_page_kernel_does_not_import_the_voila_server(preheat):
    """A kernel started for a page (``VOILA_PREHEAT=False``) or outside Voila has its
    query string: waiting for it would only import the Voila server (0.7 s of CPU)."""
    probe = ("import sys\nfrom cpkit.forms.query import wait_for_request\n"
             "wait_for_request()\nprint('voila' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "VOILA_PREHEAT"}
    if preheat is not None:
        env["VOILA_PREHEAT"] = preheat
    found = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                           text=True, timeout=60, check=True)
    assert found.stdout.strip() == "False"


def test_a_warm_kernel_has_the_case_models_validators_built():
    """They are built when first needed (``cpkit show`` never needs them); a form's
    kernel (or the zygote it is forked from) builds them while warming up, not on the
    visitor's first click."""
    probe = ("from cpkit import model\nfrom cpkit.forms.base import warm_up\nwarm_up()\n"
             "parts = model.parts()\n"
             "print(sorted(p.__name__ for p in parts if not p.__pydantic_complete__))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           timeout=120)
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.strip() == "[]"

"""What a page's visitor waits for after the click is the form itself, not imports:
``preheat()`` (each form notebook's first cell, run while Voila preheats the kernel)
loads every library the first request needs.  Each form is built in a fresh Python, as
in a fresh kernel, and the packages it imports after ``preheat()`` are listed."""

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

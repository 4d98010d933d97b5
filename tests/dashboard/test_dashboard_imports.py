"""The dashboard's data needs no case model until it reads a case (the coming CMRs'
answers): its tables are made from the store's rows (issue #15, dashboard data within
3 s on a large caseload; the pydantic model alone costs about 0.3 s of CPU to build)."""

import subprocess
import sys


def test_the_dashboards_tables_load_no_case_model():
    probe = ("import sys, cpkit.dashboard.data; "
             "print(sorted(m for m in sys.modules if m == 'cpkit.model' or "
             "m.split('.')[0] == 'pydantic'))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

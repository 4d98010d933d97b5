"""The redactor's month names come from a written-out table (cpkit.access.month_names)
while the installed Babel is the one it was written from: the table is Babel's own
output, another Babel version is asked directly, and a redacted ``cpkit show`` does not
import Babel."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cpkit.access import month_names, redact


def test_the_written_out_month_names_are_babels():
    """Rewrite cpkit/access/month_names.py with ``month_names_text`` when Babel is
    upgraded (until then the redactor asks Babel, see the next test)."""
    assert Path(month_names.__file__).read_text(encoding="utf-8") == redact.month_names_text()
    for month in range(1, 13):
        assert month_names.MONTHS[month] == redact._babel_months(month)


def test_another_babel_version_is_asked_directly():
    probe = ("import sys\nfrom cpkit.access import month_names, redact\n"
             "month_names.LIBRARY = '0.0-not-installed'\nprint(redact._months(4))\n"
             "print('babel' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split("\n")
    assert out[0] == repr(month_names.MONTHS[4]) and out[1] == "True"


PROBE = """
import json, sys
from cpkit.model import Case
from cpkit.access.redact import redact_identity
redacted = redact_identity(Case.from_stored(json.load(sys.stdin)))
print(json.dumps([redacted.referral.concern, "babel" in sys.modules]))
"""


def test_a_redaction_imports_no_babel():
    document = json.loads((Path(__file__).parent.parent / "fixtures" /
                           "case_high_physical.json").read_text(encoding="utf-8"))
    document["child"]["date_of_birth"] = "2019-04-11"
    document["referral"]["concern"] = "Born 11 prill 2019, not on 11 May 2019."
    done = subprocess.run([sys.executable, "-c", PROBE], input=json.dumps(document),
                          capture_output=True, text=True, timeout=120, check=True)
    concern, babel = json.loads(done.stdout)
    assert concern == "Born [withheld], not on 11 May 2019." and not babel

"""The layers hold: the domain imports no Jupyter, database or web library, and no
lower layer imports a higher one."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "cpkit"
DOMAIN = ["cpkit.protocol", "cpkit.model", "cpkit.rules.summary", "cpkit.rules.codes",
          "cpkit.rules.checks", "cpkit.rules.meeting_parts", "cpkit.exchange",
          "cpkit.summary_text", "cpkit.merge", "cpkit.matching", "cpkit.defuse"]
FORBIDDEN = ["sqlalchemy", "alembic", "ipywidgets", "IPython", "nbformat", "nbconvert",
             "papermill", "voila", "jupyter_client", "matplotlib", "pandas"]
# module prefix -> packages it must never import
NEVER = {
    "cpkit/protocol": ("cpkit.model", "cpkit.rules", "cpkit.store", "cpkit.forms"),
    "cpkit/rules": ("cpkit.store", "cpkit.forms", "cpkit.reports", "cpkit.access"),
    "cpkit/model.py": ("cpkit.rules", "cpkit.store", "cpkit.forms", "cpkit.reports"),
    "cpkit/exchange.py": ("cpkit.store", "cpkit.forms", "cpkit.reports", "cpkit.access"),
    "cpkit/merge.py": ("cpkit.model", "cpkit.rules", "cpkit.store", "cpkit.forms",
                       "cpkit.reports", "cpkit.access"),
    "cpkit/matching": ("cpkit.model", "cpkit.rules", "cpkit.store", "cpkit.forms",
                       "cpkit.reports", "cpkit.access"),
    "cpkit/notify": ("cpkit.access", "cpkit.forms", "cpkit.reports", "cpkit.dashboard",
                     "cpkit.cli"),
    "cpkit/store": ("cpkit.forms", "cpkit.reports", "cpkit.access", "cpkit.dashboard",
                    "cpkit.cli"),
    "cpkit/access": ("cpkit.forms", "cpkit.reports", "cpkit.dashboard", "cpkit.cli"),
    # the reports show a case: they need neither the demo generator nor the trainer kit
    # ... and never the store: the host reads through the guard, the kernel gets a document
    "cpkit/reports": ("cpkit.store", "cpkit.demo", "cpkit.training", "cpkit.forms",
                      "cpkit.cli"),
    "cpkit/defuse.py": ("cpkit.model", "cpkit.rules", "cpkit.store", "cpkit.forms",
                        "cpkit.reports", "cpkit.access", "cpkit.cli"),
    # the hub starts servers and reads who may log in; it never opens a case itself
    "cpkit/hub": ("cpkit.forms", "cpkit.reports", "cpkit.dashboard", "cpkit.cli",
                  "cpkit.training", "cpkit.demo"),
    "cpkit/i18n": ("cpkit.model", "cpkit.rules", "cpkit.store", "cpkit.forms",
                   "cpkit.reports", "cpkit.access"),
}


def test_domain_imports_no_jupyter_database_or_web_library():
    code = (f"import sys\nfor m in {DOMAIN!r}: __import__(m)\n"
            f"print([m for m in {FORBIDDEN!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(NEVER))
def test_no_lower_layer_imports_a_higher_one(layer):
    root = PACKAGE.parent / layer
    files = [root] if root.suffix == ".py" else sorted(root.rglob("*.py"))
    offending = {
        f"{f.relative_to(PACKAGE.parent)}: {name}"
        for f in files for name in imports_of(f)
        if name.startswith(NEVER[layer])
    }
    assert not offending

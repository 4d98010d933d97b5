"""What cpkit needs at run time besides its code, shipped inside the package.

The Voila forms (``forms/``), the notebooks papermill parameterises and the supervisor
dashboard (``notebooks/``), the trainer kit (``notebooks/training/``), the nbconvert
templates (``reports/``) and the fictional example case a report notebook shows when run
by hand (``examples/``) are package data, found with :mod:`importlib.resources`, so a
``pip install``-ed cpkit renders and serves without a checkout.  The repository's
top-level ``forms/``, ``notebooks/`` and ``reports/`` are links to these folders (the
copies users open in JupyterLab); ``tests/test_packaging.py`` checks they agree.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from cpkit.errors import CpkitError


def path(*parts: str) -> Path:
    """The file or folder ``parts`` inside the package data, as a real path on disk.

    Voila and nbconvert need real folders, so a zipped install is refused with a clear
    error rather than half working.
    """
    found = files(__name__).joinpath(*parts)
    if not isinstance(found, Path):
        raise CpkitError(f"cpkit's package data must be installed as files, not zipped: {found}")
    return found


FORMS = path("forms")
NOTEBOOKS = path("notebooks")
TRAINING = path("notebooks", "training")
TEMPLATES = path("reports")
CASE_NOTEBOOK = path("notebooks", "case.ipynb")
EXAMPLE_CASE = path("examples", "case_high_physical.json")

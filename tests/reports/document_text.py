"""The words a reader sees in a rendered document, for the redaction checks."""

from __future__ import annotations

import subprocess
from pathlib import Path


def html_text(markup: str) -> str:
    """The text of an HTML document, tags gone."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "html.parser").get_text(" ")


def pdf_text(path: Path) -> str:
    """The text of a PDF as poppler's pdftotext reads it."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout

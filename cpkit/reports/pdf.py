"""HTML report to A4 PDF with WeasyPrint, offline.

The page furniture (case code, "Confidential", page numbers) comes from the report's
own print stylesheet.  The fetcher refuses every URL except ``data:``, so a report can
never reach the network or the file system while it is printed; the document metadata
is fixed so that the same HTML gives the same PDF.
"""

from __future__ import annotations

import contextlib
import logging
import threading

from cpkit.errors import CpkitError


class PdfError(CpkitError):
    """The PDF engine could not print the report."""


def _fetcher():
    from weasyprint.urls import URLFetcher

    # Any other scheme raises, and fail_on_errors turns that into a fatal error.
    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def engine():
    """The PDF engine (WeasyPrint), imported; :class:`PdfError` when it cannot start."""
    try:
        import weasyprint
    except OSError as err:  # a missing system library (pango) shows up as OSError
        raise PdfError(f"the PDF engine cannot start ({err}); install Debian's pango "
                       "(scripts/system-deps)") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def start_engine() -> None:
    """Import the engine on a thread of its own, now, for a page printed in this process
    later: WeasyPrint's import (a third of a second, part of it loading pango's and
    fontconfig's libraries) then overlaps what the process does meanwhile (reading the
    case, waiting for its kernel) instead of following the page's conversion.  A
    missing engine is said by :func:`html_to_pdf`, as without this."""
    threading.Thread(target=ready, name="cpkit-pdf-engine", daemon=True).start()


def ready() -> None:
    """Import the engine now; a missing one is said by the first page
    (:func:`html_to_pdf`).  What a batch's printer process runs first: from this light
    module, since a spawned process imports the module of what it is asked to run (from
    :mod:`cpkit.reports.batch` it imported the render pipeline too, nbformat and the
    case model, a fifth of a second of CPU per printer that never renders)."""
    with contextlib.suppress(Exception):
        engine()


def html_to_pdf(html: str, *, title: str = "", lang: str = "en") -> bytes:
    """Print ``html`` (a complete, self-contained page) to PDF bytes."""
    weasyprint = engine()
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = weasyprint.HTML(string=html, base_url=None,
                                   url_fetcher=_fetcher()).render()
    except FatalURLFetchingError:
        raise PdfError("the report refers to a resource outside itself; not printed") from None
    document.metadata.title = title or document.metadata.title
    document.metadata.authors = []
    document.metadata.created = None
    document.metadata.modified = None
    document.metadata.generator = "cpkit"
    document.metadata.lang = lang
    return document.write_pdf(pdf_identifier=b"cpkit-report")

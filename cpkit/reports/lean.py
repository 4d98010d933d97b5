"""The report exporter: nbconvert's HTML exporter without the work a report never needs.

The report templates (``reports/``) extend nbconvert's ``base`` templates, not ``lab``:
no JupyterLab stylesheet, no require.js, no widget manager; the page inlines cpkit's own
small stylesheets only.  On top of that, :class:`LeanHTMLExporter` skips two things
``HTMLExporter`` does for every notebook and that cost more than the rest of the
conversion:

* the default preprocessors (CSS header, LaTeX, magics highlighting, stream
  coalescing, ...) and the full notebook validation nbconvert runs after *each* of
  them: report notebooks show no input, no markdown, no streams, and every output is
  already HTML built by :mod:`cpkit.reports.sections`;
* the BeautifulSoup pass that parses the finished page again to add ``alt`` texts and
  ``tabindex`` to JupyterLab's cell classes: every ``img`` of a report has its own
  ``alt`` and the report has no JupyterLab cells.

One exporter per report kind is built once and reused for every case
(:func:`cpkit.reports.render.exporter`).
"""

from __future__ import annotations

from typing import Any

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode
from traitlets import List


class LeanHTMLExporter(HTMLExporter):
    """``HTMLExporter`` with no preprocessors and no re-parse of the page it wrote."""

    default_preprocessors = List([])  # type: ignore[assignment]

    def from_notebook_node(self, nb: NotebookNode, resources: dict[str, Any] | None = None,
                           **kw: Any) -> tuple[str, dict[str, Any]]:
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    def _preprocess(self, nb: NotebookNode, resources: dict[str, Any]
                    ) -> tuple[NotebookNode, dict[str, Any]]:
        # No preprocessor: nothing to run, and ``nb`` is already nbconvert's own copy.
        if self._preprocessors:
            return super()._preprocess(nb, resources)
        return nb, resources

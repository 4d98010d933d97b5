"""Reports: the per-case notebook (papermill), the protocol's documents (nbconvert), PDF.

:mod:`~cpkit.reports.parameters` checks what goes into the notebook,
:mod:`~cpkit.reports.sections` builds the HTML, :mod:`~cpkit.reports.render` runs
parameterise / execute / convert / record, :mod:`~cpkit.reports.pdf` prints to A4.
"""

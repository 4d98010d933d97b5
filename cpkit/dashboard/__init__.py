"""The supervisor dashboard: caseload, protocol deadlines, report sign-off.

:mod:`.data` turns store rows into tables (pure pandas), :mod:`.charts` draws them
(matplotlib), :mod:`.widgets` is the Voila page, :mod:`.export` writes the caseload
as CSV or XLSX.
"""

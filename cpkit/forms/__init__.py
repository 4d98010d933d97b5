"""The assessor forms: ipywidgets over the case, one module per protocol step.

Each form is a controller (:class:`cpkit.forms.base.CaseForm`) around a case read
from :class:`cpkit.store.Store` and the widgets that edit it; the thin notebooks in
``forms/`` show them as Voila apps.  Widgets never open database sessions.

- :mod:`~cpkit.forms.referral` Referral and consent (also creates a case)
- :mod:`~cpkit.forms.risk` Risk Analysis Framework, with the live risk banner
- :mod:`~cpkit.forms.wellbeing` Wellbeing indicators, milestones, needs
- :mod:`~cpkit.forms.care_plan` Care plan actions
- :mod:`~cpkit.forms.cmr` CMR meeting
- :mod:`~cpkit.forms.closure` Closure
- :mod:`~cpkit.forms.landing` the landing page (find, create, deadlines)
- :mod:`~cpkit.forms.agency` the agency member's page (invitations, progress reports, minutes)
"""

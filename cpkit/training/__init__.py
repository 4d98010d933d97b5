"""The trainer kit: worked cases, exercise mode with feedback, group sessions.

- :mod:`cpkit.training.cases`: the worked cases (``cases/*.json``, story and reference
  answer apart) and :func:`~cpkit.training.cases.worked_case` for the store;
- :mod:`cpkit.training.checker`: a trainee's answer against the reference;
- :mod:`cpkit.training.feedback`: the feedback (shown under "Check", and as a sheet);
- :mod:`cpkit.training.session`: a group session's answers in a private local file;
- :mod:`cpkit.training.agreement` and :mod:`cpkit.training.charts`: Fleiss' kappa and
  the trainer's charts;
- :mod:`cpkit.training.widgets`: the exercise and the trainer's view (ipywidgets);
- :mod:`cpkit.training.answer_key`: the answer key, rendered by nbconvert (HTML, PDF).

The notebooks are in ``notebooks/training/``: one per worked case, ``group_session``
(trainer's view) and ``answer_key`` (parameter ``case_code``).  Everything here works on
in-memory copies of fictional cases: no store and no live-case permission is needed.
"""

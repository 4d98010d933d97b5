"""``cpkit-warm``: a papermill engine that runs notebooks in warm, wiped kernels.

Registered through papermill's ``papermill.engine`` entry point (pyproject.toml), so
``papermill.execute_notebook(..., engine_name="cpkit-warm")`` and
``papermill --engine cpkit-warm`` use it.  Each notebook runs in a kernel of a
:class:`~cpkit.reports.pool.KernelPool` (the process's own pool unless ``pool=`` is
passed) that already has pandas, matplotlib and cpkit imported; when the notebook is
done the kernel is wiped and checked (:mod:`cpkit.reports.isolation`) before it serves
the next one, or replaced when that fails.  ``env`` picks (or starts) a kernel started
with that environment, as papermill's own engine would start one.

papermill loads its entry points at the end of importing ``papermill.engines``; if
this module were imported first and imported papermill at the top, papermill would
find it half-initialised.  So nothing of papermill is imported here until a notebook
runs, and :class:`WarmEngine` provides papermill's ``Engine`` interface by delegating
to it rather than by subclassing it.
"""

from __future__ import annotations

import copy

ENGINE_NAME = "cpkit-warm"


class WarmEngine:
    """papermill engine: execute the managed notebook in a pooled warm kernel."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, **kwargs):
        """papermill's ``Engine.execute_notebook`` (progress, timings, errors) for us."""
        from papermill.engines import Engine

        return Engine.execute_notebook.__func__(cls, nb, kernel_name, **kwargs)

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        from papermill.utils import nb_kernel_name

        return nb_kernel_name(nb, name)

    @classmethod
    def nb_language(cls, nb, language=None):
        from papermill.utils import nb_language

        return nb_language(nb, language)

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                 stdout_file=None, stderr_file=None, start_timeout=60,
                                 execution_timeout=None, env=None, pool=None, **_ignored):
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.log import logger

        from cpkit.reports.pool import default_pool

        pool = pool if pool is not None else default_pool()
        with pool.kernel(kernel_name, env) as kernel:
            def run():
                client = PapermillNotebookClient(
                    nb_man, km=kernel.km, kernel_name=kernel_name, timeout=execution_timeout,
                    startup_timeout=start_timeout, log=logger, log_output=log_output,
                    stdout_file=stdout_file, stderr_file=stderr_file)
                client.kc = kernel.kc  # the pool's client: no new sockets per case
                if kernel.language_info is None:
                    nb = client.execute()
                    kernel.language_info = copy.deepcopy(nb.metadata.get("language_info"))
                    return nb
                # What client.execute() does, without asking the kernel again what
                # language it speaks (it is the same kernel as for the last case).
                client.reset_execution_trackers()
                with client.setup_kernel():
                    client.papermill_execute_cells()
                    client.nb.metadata["language_info"] = copy.deepcopy(kernel.language_info)
                    client.set_widgets_metadata()
                return client.nb

            return kernel.call(run)


def execute_node(nb, *, kernel_name: str, env: dict | None = None, pool=None,
                 execution_timeout: int | None = None, start_timeout: int = 60):
    """``papermill.execute_notebook`` for a notebook already in memory, in a warm kernel.

    The same steps (papermill's metadata, error markers removed, the engine, a
    :class:`~papermill.exceptions.PapermillExecutionError` for a failed cell) without
    papermill's round trip of the notebook through JSON text on the way in and out
    (serialise, parse, validate: more time than a warm kernel takes to run the cells).
    Every cell gets the metadata papermill's loader would give it.
    """
    from papermill import __version__
    from papermill.engines import papermill_engines
    from papermill.execute import (
        prepare_notebook_metadata,
        raise_for_execution_errors,
        remove_error_markers,
    )

    register()
    nb.metadata.setdefault("papermill", {"default_parameters": {}, "parameters": {},
                                         "environment_variables": {}, "version": __version__})
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata.setdefault("papermill", {})
    nb = remove_error_markers(prepare_notebook_metadata(nb, None, None))
    kernel_name = papermill_engines.nb_kernel_name(engine_name=ENGINE_NAME, nb=nb,
                                                   name=kernel_name)
    nb = papermill_engines.execute_notebook_with_engine(
        ENGINE_NAME, nb, kernel_name=kernel_name, input_path=None, output_path=None,
        progress_bar=False, log_output=False, start_timeout=start_timeout,
        execution_timeout=execution_timeout, env=env, pool=pool)
    raise_for_execution_errors(nb, None)
    return nb


def _prepared(nb):
    """``nb`` with the metadata papermill gives a notebook it runs (as :func:`execute_node`)
    and, like papermill's ``notebook_start``, no execution counts or outputs yet."""
    from papermill import __version__
    from papermill.execute import prepare_notebook_metadata, remove_error_markers

    nb.metadata.setdefault("papermill", {"default_parameters": {}, "parameters": {},
                                         "environment_variables": {}, "version": __version__})
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata.setdefault("papermill", {})
        if cell.cell_type == "code":
            cell.execution_count = None
            cell.outputs = []
    return remove_error_markers(prepare_notebook_metadata(nb, None, None))


def _code_cells(nb) -> list[int]:
    """Indexes of the cells nbclient executes (code cells with something in them)."""
    return [i for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and cell.source.strip()]


class _Dirty(Exception):
    """The kernel did not come out clean after a case: its pool must replace it."""

    def __init__(self, answers: list[dict], info: dict):
        super().__init__("the kernel is not clean after a case")
        self.answers, self.info = answers, info


def _run_in_kernel(nbs, pool, kernel_name: str, env, timeout: float
                   ) -> tuple[list[dict], dict]:
    """The runner's answers for ``nbs`` (fewer when the kernel came out dirty after a
    case), and the kernel's language_info."""
    with pool.kernel(kernel_name, env) as kernel:
        info = kernel.ask_language_info()
        jobs = [[nb.cells[i].source for i in _code_cells(nb)] for nb in nbs]
        answers = kernel.run_cases(jobs, timeout)
        kernel.cases += max(0, len(answers) - 1)  # the pool counts one
        if answers and "dirty" in answers[-1]:
            raise _Dirty(answers, info)  # the pool shuts this kernel down
    return answers, info


def _filled(nb, answer: dict, info: dict):
    """``nb`` with the runner's outputs and counts, as nbclient would have filled it; a
    :class:`~papermill.exceptions.PapermillExecutionError` for a failed cell."""
    from nbformat import from_dict
    from papermill.exceptions import PapermillExecutionError

    cells = _code_cells(nb)
    if "error" in answer:
        index = cells[answer["cell"]]
        ename, evalue = answer["error"]
        return PapermillExecutionError(index, answer.get("count"), nb.cells[index].source,
                                       ename, evalue, [])
    nb.metadata["language_info"] = copy.deepcopy(info)
    for index, (count, outputs) in zip(cells, answer["cells"], strict=True):
        nb.cells[index].execution_count = count
        nb.cells[index].outputs = [from_dict(o) for o in outputs]
    return nb


def execute_nodes(nbs: list, *, kernel_name: str, env: dict | None = None, pool=None,
                  execution_timeout: int | None = None) -> list:
    """:func:`execute_node` for several notebooks, in one request to one warm kernel.

    The kernel runs each notebook's code cells with IPython's ``run_cell`` and is wiped
    and checked after each (:mod:`cpkit.reports.runner`); the notebooks come back as
    papermill and nbclient would have left them, apart from the run's times (which
    :func:`cpkit.reports.render.scrub` drops).  Each item of the result is the executed
    notebook or the exception its run raised (a
    :class:`~papermill.exceptions.PapermillExecutionError` for a failed cell).  A
    notebook whose output the runner cannot carry (printed text, an expression's value,
    an updated display), or the whole call if the kernel fails, runs again through
    :func:`execute_node`, cell by cell; after a case that leaves the kernel dirty the
    kernel is replaced and the rest go to a new one.
    """
    from cpkit.reports.pool import default_pool

    pool = pool if pool is not None else default_pool()
    nbs = [_prepared(nb) for nb in nbs]
    done: list = []
    while len(done) < len(nbs):
        rest = nbs[len(done):]
        timeout = (execution_timeout or 300) * max(1, len(rest))
        try:
            answers, info = _run_in_kernel(rest, pool, kernel_name, env, timeout)
        except _Dirty as dirty:
            answers, info = dirty.answers, dirty.info
        except Exception:  # the kernel failed or died: each notebook on its own
            answers, info = [], {}
        answers = answers or [{"odd": True}] * len(rest)
        for nb, answer in zip(rest, answers, strict=False):  # fewer after a dirty case
            if "cells" in answer or "error" in answer:
                try:
                    done.append(_filled(nb, answer, info))
                    continue
                except (KeyError, IndexError, TypeError, ValueError):
                    pass  # an answer that does not fit the notebook: run it again
            try:
                done.append(execute_node(nb, kernel_name=kernel_name, env=env, pool=pool,
                                         execution_timeout=execution_timeout))
            except Exception as err:
                done.append(err)
    return done


def register() -> None:
    """Register the engine by hand (when cpkit is not installed, e.g. from a checkout)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, WarmEngine)

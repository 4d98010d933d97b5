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


def register() -> None:
    """Register the engine by hand (when cpkit is not installed, e.g. from a checkout)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, WarmEngine)

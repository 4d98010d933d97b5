"""Voila's pages as cpkit serves them: templates compiled once per server process, not
once per page, and the ``_xsrf`` cookie given with every page.

Voila renders every page with a new exporter (``VoilaExporter``, one per request),
and each exporter builds a new Jinja environment that parses and compiles cpkit's
page template and Voila's and nbconvert's templates under it again: about a third of
Voila's CPU for each page a user opens (py-spy of a server opening risk forms:
``Environment.compile`` under ``get_template``).  Jinja's own answer is a bytecode
cache (``Environment.bytecode_cache``): the compiled code of a template kept by its
name and the checksum of its source, so a changed template is compiled again.  This
module gives every exporter's environment of the process one in-memory cache, one
per way of compiling (async or not, extensions, syntax), since those change the code.

A page also gives the browser the ``_xsrf`` cookie (:func:`give_xsrf_cookie`).  When a
page is left, Voila's scripts post ``voila/api/shutdown/KERNEL`` with the cookie's
value, so that the page's kernel is shut down at once; but Voila's page handler streams
its page without ever asking for the token, so no cookie was set, every such post was
refused (403, "'_xsrf' argument missing") and each left page's kernel (about 145 MB)
lived until the culler found it idle, half a minute to a minute later.

Both are installed by :class:`cpkit.serve_kernels.CpkitKernelManager` (the one cpkit
class Voila creates in its process) through :func:`install`.
"""

from __future__ import annotations

import inspect
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Compiled templates in memory, for environments that compile alike."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # refused by the bucket if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_caches: dict[tuple, CompiledTemplates] = {}


def compiled_alike(environment: Environment) -> tuple[Any, ...]:
    """What decides the code Jinja compiles a template to, beside its source."""
    e = environment
    return (e.is_async, tuple(sorted(e.extensions)), e.block_start_string,
            e.block_end_string, e.variable_start_string, e.variable_end_string,
            e.comment_start_string, e.comment_end_string, e.line_statement_prefix,
            e.line_comment_prefix, e.trim_blocks, e.lstrip_blocks, e.newline_sequence,
            e.keep_trailing_newline, e.optimized, repr(e.autoescape), e.finalize is None)


def cache_for(environment: Environment) -> CompiledTemplates:
    """The process's cache for templates compiled as ``environment`` compiles them."""
    return _caches.setdefault(compiled_alike(environment), CompiledTemplates())


def share_compiled_templates() -> None:
    """Give every Voila exporter's Jinja environment of this process the shared cache."""
    from voila.exporter import VoilaExporter

    create = VoilaExporter._create_environment
    if getattr(create, "shares_compiled_templates", False):
        return

    def _create_environment(self) -> Environment:
        environment = create(self)
        environment.bytecode_cache = cache_for(environment)
        return environment

    _create_environment.shares_compiled_templates = True  # type: ignore[attr-defined]
    VoilaExporter._create_environment = _create_environment


def give_xsrf_cookie() -> None:
    """Set the ``_xsrf`` cookie with every Voila page, before its first byte is sent, as
    Jupyter's own page handlers do when they render their templates."""
    from voila.handler import VoilaHandler

    prepare = VoilaHandler.prepare
    if getattr(prepare, "gives_xsrf_cookie", False):
        return

    async def _prepare(self, *args, **kwargs):
        result = await prepare(self, *args, **kwargs)
        if inspect.isawaitable(result):
            await result
        if not self._finished:
            self.xsrf_token  # noqa: B018  (tornado sets the cookie when it is first read)

    _prepare.gives_xsrf_cookie = True  # type: ignore[attr-defined]
    VoilaHandler.prepare = _prepare


def install() -> None:
    """Everything this module does to Voila's pages, in Voila's process."""
    share_compiled_templates()
    give_xsrf_cookie()

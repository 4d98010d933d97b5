"""What no kernel ever holds: the way to the case store, its key, or any token.

One home for the list, shared by the report kernels (:mod:`cpkit.reports.pool`), the
forms' kernels and the zygote they are forked from (:mod:`cpkit.serve_guard`,
:mod:`cpkit.serve_fork`): the host reads, the kernel computes, the host records.
"""

from __future__ import annotations

KERNEL_WITHHELD = ("CPKIT_DB", "CPKIT_KEY", "CPKIT_KEY_FILE", "CPKIT_HOME", "CPKIT_TEST_PG",
                   "DATABASE_URL", "PGPASSWORD", "PGPASSFILE", "PGSERVICEFILE",
                   "JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN")
# Any variable whose name holds one of these words is withheld too.
_SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL")


def without_secrets(env: dict[str, str]) -> dict[str, str]:
    """``env`` without any way to the store or a key (a kernel's environment)."""
    return {name: value for name, value in env.items()
            if name not in KERNEL_WITHHELD and not any(w in name.upper() for w in _SECRET_WORDS)}

"""The one escaping helper: any value as text safe inside HTML (and its attributes)."""

from __future__ import annotations

import html


def esc(value: object) -> str:
    """``value`` as escaped HTML text; ``None`` is empty (never the word "None")."""
    return html.escape("" if value is None else str(value), quote=True)

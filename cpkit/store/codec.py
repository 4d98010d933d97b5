"""How a case document is kept in the store's ``document`` column.

One place to turn a document into stored text and back, so that encrypting the
identifying parts at rest changes this module only.
"""

from __future__ import annotations

import json


def encode(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> dict:
    return json.loads(text)

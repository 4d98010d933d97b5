"""How a case document is kept in the store's ``document`` column: identifying parts sealed.

What is sealed (AES-256-GCM, :mod:`cpkit.crypto`): everything except a short list
of keys that identify no one and that a database administrator may need to see
(``CLEAR_KEYS``: format, case code, municipality, training flag, case manager,
agencies involved).  So the ``child`` block, and every free text where a child's
or a family member's name, birth date or address may be written (referral
concern, consent and do-not-disclose items, assessment notes and summary, meeting
views, discussion and decisions, care plan actions and progress, closure views),
never reach the database in the clear.  Unknown top-level keys are sealed too.

Sealing the whole rest rather than chosen fields is deliberate: names turn up in
any free text ("Ëndrina told the nurse ..."), and the store never queries inside
the document (its list columns are copies made on save).

Stored text is ``{"v": "cpkit-sealed/1", "clear": {...}, "order": [...],
"sealed": {alg, kid, nonce, data}}``; the seal is bound to the case code, so a
sealed block moved to another case does not open.  A plain document (written before
encryption) still decodes; ``cpkit rotate-key`` seals every case.
"""

from __future__ import annotations

import json

from cpkit import crypto

SEALED_FORMAT = "cpkit-sealed/1"
CLEAR_KEYS = ("format", "case_id", "municipality", "training", "case_manager",
              "agencies_involved")


def _json(value: object) -> bytes:
    """``value`` as compact JSON in UTF-8 (:func:`cpkit.model.json_bytes`)."""
    from cpkit.model import json_bytes  # writes only: the lean readers never encode

    return json_bytes(value)


def encode(document: dict, key: crypto.Key | None = None) -> str:
    """The stored text of ``document``, identifying parts sealed with ``key`` (or the
    key in use)."""
    clear = {k: document[k] for k in CLEAR_KEYS if k in document}
    private = {k: v for k, v in document.items() if k not in CLEAR_KEYS}
    sealed = crypto.seal(_json(private), _context(document), key)
    return _json({"v": SEALED_FORMAT, "clear": clear, "order": list(document),
                  "sealed": sealed}).decode("utf-8")


def decode(text: str, key: crypto.Key | None = None) -> dict:
    """The case document kept as ``text``; :class:`cpkit.crypto.KeyMismatch` when the
    key in use is not the one it was sealed with."""
    stored = json.loads(text)
    if not is_sealed(stored):
        return stored
    clear = stored["clear"]
    private = json.loads(crypto.unseal(stored["sealed"], _context(clear), key))
    merged = {**clear, **private}
    return {k: merged[k] for k in stored.get("order", merged) if k in merged}


def clear_part(text: str) -> dict:
    """The unsealed keys only (case code, agencies involved, ...), without the key.

    For deciding who may see a case before anything identifying is opened.
    """
    stored = json.loads(text)
    if not is_sealed(stored):
        return {k: stored[k] for k in CLEAR_KEYS if k in stored}
    return stored["clear"]


def is_sealed(stored: object) -> bool:
    return isinstance(stored, dict) and stored.get("v") == SEALED_FORMAT


def _context(document: dict) -> str:
    return f"cpkit-case:{document.get('case_id') or ''}"


def text_context(prefix: str, bound_to: str) -> str:
    """The context a free text outside a case document is sealed in: its kind
    (``cpkit-void``, ``cpkit-transfer``) and the code or token it belongs to."""
    return f"{prefix}:{bound_to}"


def seal_text(text: str | None, context: str, key: crypto.Key | None = None) -> dict | None:
    """Free text kept outside a case document (a reason, a comment), sealed like the
    case's own text: it may name the child."""
    if text is None:
        return None
    return crypto.seal(text.encode("utf-8"), context, key)


def open_text(sealed: dict | None, context: str, key: crypto.Key | None = None) -> str | None:
    """What :func:`seal_text` sealed."""
    if sealed is None:
        return None
    return crypto.unseal(sealed, context, key).decode("utf-8")

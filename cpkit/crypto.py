"""The identity key and the AES-256-GCM seal of identifying data at rest.

Why: the protocol asks that records be "accessible only to those who have
responsibility for the protection of children"; a copied database file or a
``SELECT`` by a database administrator must not show a child's name, birth date or
address.  The store keeps identifying parts of each case sealed with one key
(see :mod:`cpkit.store.codec` for which parts).

Where the key comes from, first match wins:

1. ``CPKIT_KEY``: 32 random bytes in URL-safe base64 (``cpkit rotate-key`` prints
   one; the same shape as a Fernet key);
2. ``CPKIT_KEY_FILE``: a file holding such a key (for a shared PostgreSQL store
   served to several users, every user's process must use the same key);
3. ``<cpkit home>/key``, created private (mode 0600) by ``cpkit init`` or by the
   first write to an empty store, and never otherwise.

Each sealed value names the key it was sealed with by a short fingerprint, and the
store records the fingerprint of its key (``store_meta``), so a wrong or missing key
gives a plain error ("the key in use is not this store's key") on every read and
every write instead of garbage or a store sealed with two keys.  A missing key file
is never replaced by a new key while the store holds sealed data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cpkit import paths
from cpkit.errors import CpkitError

ALGORITHM = "AES-256-GCM"
KEY_BYTES = 32
NONCE_BYTES = 12


class IdentityKeyError(CpkitError):
    """The identity key is missing, malformed or not the one the store was sealed with."""


class KeyMismatch(IdentityKeyError):
    """The key in use (or its absence) is not the one the store's data is sealed with."""

    def __init__(self, source: str, hint: str = ""):
        super().__init__(
            f"the key in use is not this store's key ({source}): the children's "
            "identifying data can be neither read nor written with it. Use the key the "
            "store was encrypted with (CPKIT_KEY, CPKIT_KEY_FILE or the key file in the "
            f"cpkit home folder){hint}")


class SealBroken(IdentityKeyError):
    """The key is right but the sealed data was altered or damaged."""


@dataclass(frozen=True)
class Key:
    """A loaded key and where it came from (for messages; never the key itself)."""

    secret: bytes
    source: str

    @property
    def fingerprint(self) -> str:
        """A short public name of the key, stored beside each sealed value."""
        return hashlib.sha256(b"cpkit-identity-key\0" + self.secret).hexdigest()[:16]


def new_key_text() -> str:
    """A fresh random key as URL-safe base64 text (what CPKIT_KEY holds)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def parse_key(text: str, source: str) -> Key:
    """Turn key text into a :class:`Key`; a clear error when it is not one."""
    try:
        secret = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise IdentityKeyError(f"{source} is not a valid identity key "
                        f"({KEY_BYTES} bytes in URL-safe base64 expected)")
    return Key(secret, source)


def key_file() -> Path:
    """The key file in use when CPKIT_KEY is not set."""
    named = os.environ.get("CPKIT_KEY_FILE")
    return Path(named) if named else paths.home() / "key"


def write_key_file(path: Path, text: str) -> None:
    """Write key text to ``path`` readable by the owner only (0600), atomically and
    durably (a crash leaves the old file or the new one, never a torn one)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    paths.write_private(path, (text + "\n").encode("ascii"))


def staged_key_file() -> Path:
    """Where ``rotate-key`` puts the new key until the store is re-sealed with it."""
    path = key_file()
    return path.with_name(path.name + ".new")


def current_key(create: bool = True) -> Key:
    """The key in use (see the module docstring); created when absent and ``create``."""
    text = os.environ.get("CPKIT_KEY")
    if text:
        return parse_key(text, "CPKIT_KEY")
    path = key_file()
    try:
        changed = _version(path)
    except FileNotFoundError:
        if not create:
            raise IdentityKeyError(f"no identity key: {path} does not exist and CPKIT_KEY "
                                   "is not set") from None
        write_key_file(path, new_key_text())
        changed = _version(path)
    return _key_from_file(path, changed)


def _key_text(path: Path) -> str:
    """A key file's text; bytes that are not ASCII (a damaged file) make it no key,
    refused by :func:`parse_key` in words naming the file, never a decoding crash."""
    return path.read_bytes().decode("ascii", errors="replace")


def _version(path: Path) -> tuple[int, int, int]:
    """What tells one key file apart from the next (rotation replaces the file)."""
    info = path.stat()
    return info.st_ino, info.st_mtime_ns, info.st_size


@lru_cache(maxsize=16)
def _key_from_file(path: Path, changed: tuple[int, int, int]) -> Key:
    """Read a key file once per version of it (a rotation rewrites it)."""
    return parse_key(_key_text(path), f"key file {path}")


def key_for(fingerprint: str | None) -> Key:
    """The key whose fingerprint is ``fingerprint`` (the store's, or a sealed value's).

    The key in use when it fits; else the staged key of a ``rotate-key`` killed
    between its commit and its file rename (``key.new``), when that one fits; else
    :class:`KeyMismatch`, naming a leftover key file that fits if there is one.
    Asked twice: a rotation renaming ``key.new`` to the key file between the two reads
    (the old key read, then no staged key left) has the new key in the key file.
    """
    for _look in range(2):
        try:
            key, problem = current_key(create=False), ""
        except IdentityKeyError as missing:
            key, problem = None, str(missing).removeprefix("no identity key: ")
        if key is not None and key.fingerprint == fingerprint:
            return key
        if key is not None and key.source == "CPKIT_KEY":
            break
        staged = read_key_file(staged_key_file())
        if staged is not None and staged.fingerprint == fingerprint:
            return staged
    raise KeyMismatch(problem if key is None else key.source, _hint(fingerprint))


def read_key_file(path: Path) -> Key | None:
    """The key in ``path``, or ``None`` when there is none or it is not a key."""
    try:
        return parse_key(_key_text(path), f"key file {path}")
    except (OSError, CpkitError):
        return None


class _Nonces:
    """Random nonces taken from the system's generator a batch at a time, each once.

    Why: every ``os.urandom`` call leaves Python's lock, and with an import's writes
    running on a thread beside the sealing, winning it back cost about 80 µs a seal
    (0.4 s of an import of 10,000 cases).  The bytes are the system generator's as
    before, each used once (under a lock: threads seal too); a forked process starts
    with none of its parent's, since a nonce used twice under one key would break
    AES-GCM's secrecy."""

    BATCH = 256

    def __init__(self) -> None:
        self._drop()
        os.register_at_fork(after_in_child=self._drop)

    def _drop(self) -> None:
        """No nonce yet (and a lock of this process's own, in a forked one)."""
        import threading

        self._lock = threading.Lock()
        self._pool, self._next = b"", 0

    def take(self) -> bytes:
        with self._lock:
            if self._next >= len(self._pool):
                self._pool, self._next = os.urandom(NONCE_BYTES * self.BATCH), 0
            start, self._next = self._next, self._next + NONCE_BYTES
            return self._pool[start:self._next]


_nonces = _Nonces()


def seal(plain: bytes, context: str, key: Key | None = None) -> dict:
    """Encrypt ``plain``, bound to ``context`` (the case code), as a JSON-ready dict.

    Without ``key``, the key in use; it is never created here (the store decides
    when a new key may be made: only for an empty store)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = key or current_key(create=False)
    nonce = _nonces.take()
    data = AESGCM(key.secret).encrypt(nonce, plain, context.encode("utf-8"))
    return {"alg": ALGORITHM, "kid": key.fingerprint,
            "nonce": base64.b64encode(nonce).decode("ascii"),
            "data": base64.b64encode(data).decode("ascii")}


def unseal(sealed: dict, context: str, key: Key | None = None) -> bytes:
    """Decrypt what :func:`seal` made; :class:`KeyMismatch` for another key's seal."""
    if key is None:
        key = key_for(sealed.get("kid"))
    if sealed.get("alg") != ALGORITHM:
        raise SealBroken(f"{context}: sealed with an unknown method {sealed.get('alg')!r}")
    if sealed.get("kid") != key.fingerprint:
        raise KeyMismatch(key.source, _hint(sealed.get("kid")))
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key.secret).decrypt(base64.b64decode(sealed["nonce"]),
                                          base64.b64decode(sealed["data"]),
                                          context.encode("utf-8"))
    except (InvalidTag, KeyError, binascii.Error, ValueError):
        raise SealBroken(f"{context}: the encrypted identifying data is damaged or was "
                         "altered (it does not authenticate with the store's key)") from None


def _hint(kid: object) -> str:
    """Point at a leftover key of an interrupted ``rotate-key`` that fits, if any."""
    if os.environ.get("CPKIT_KEY"):
        return ""
    path = key_file()
    for other in (path.with_name(path.name + ".new"), path.with_name(path.name + ".old")):
        found = read_key_file(other)
        if found is not None and found.fingerprint == kid:
            return f"; {other} fits this store (an interrupted rotate-key?)"
    return ""


def complete_rotation(fingerprint: str | None) -> str | None:
    """Finish a rotation the store has committed: ``key.new`` becomes ``key``.

    ``fingerprint`` is the store's (``Store.key_fingerprint()``).  A ``key.new`` that
    does not fit the store is left from a rotation that never committed and is
    removed.  Returns what was done, in words (``None``: nothing to do).  Called by
    ``rotate-key`` itself and by ``cpkit check``."""
    if os.environ.get("CPKIT_KEY"):
        return None
    staged, path = staged_key_file(), key_file()
    if not staged.exists():
        return None
    found = read_key_file(staged)
    if found is None or found.fingerprint != fingerprint:
        current = read_key_file(path)
        if current is not None and current.fingerprint == fingerprint:
            staged.unlink()
            return f"removed {staged} (left by a rotate-key that never committed)"
        return None  # neither fits: leave both for a person to look at
    os.replace(staged, path)
    paths.sync_folder(path.parent)
    return f"{staged} became {path} (finishing an interrupted rotate-key)"

"""Where cpkit keeps its data: ``CPKIT_HOME`` or the platform's user data folder."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# platformdirs and tempfile are imported where used: every command imports this module
# (a short one, ``cpkit show``, pays for each import), and CPKIT_HOME is usually set.


def home() -> Path:
    """The data folder, created private to the user (mode 0700) on first use."""
    folder = os.environ.get("CPKIT_HOME")
    if not folder:
        import platformdirs

        folder = platformdirs.user_data_dir("cpkit")
    return _home(folder)


@lru_cache(maxsize=64)
def _home(folder: str) -> Path:
    """Create each data folder once per process (it sits on every store write's path)."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def installed(package: str, version: str) -> bool:
    """Whether ``package`` is installed at ``version``, by its ``dist-info`` folder beside
    it: one ``stat``, no import (for a table written out from a library, used only with
    the version it was written from)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return False
    packages = os.path.dirname(os.path.dirname(spec.origin))
    return os.path.isdir(os.path.join(packages, f"{package}-{version}.dist-info"))


def database_url() -> str:
    """``CPKIT_DB`` (any SQLAlchemy URL), else the embedded SQLite store."""
    return os.environ.get("CPKIT_DB") or f"sqlite:///{home() / 'cases.db'}"


# Case codes and anything a user typed become file names only through these.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
COMPONENT_MAX = 120


def safe_component(text: str, *, strict: bool = True) -> str:
    """``text`` as one safe file-name component: no ``..``, separators, NUL or control
    characters, no leading dot, at most 120 characters.

    ``strict`` (for case codes): anything unsafe is refused with :class:`BadInput`.
    Otherwise (for titles and other free input): unsafe characters become ``_``.
    """
    from cpkit.errors import BadInput

    if not isinstance(text, str):
        raise BadInput("a file name must be text")
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip().lstrip(".")
    cleaned = cleaned[:COMPONENT_MAX].rstrip(". ")
    if strict and (cleaned != text or not cleaned):
        raise BadInput(f"{text[:40]!r} cannot be used as a file name (no '..', slashes, "
                       "control characters or leading dots)")
    return cleaned or "_"


def safe_join(base: Path, *parts: str) -> Path:
    """``base / parts`` with each part made safe, and never outside ``base``."""
    from cpkit.errors import BadInput

    root = Path(base).resolve()
    target = root.joinpath(*(safe_component(p, strict=False) for p in parts)).resolve()
    if target != root and root not in target.parents:
        raise BadInput("the file would be written outside its folder")
    return target


def private_dir(path: Path) -> Path:
    """``path`` as a folder, each folder created on the way private to the user (0700)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and not probe.is_symlink():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)
        folder.chmod(0o700)
    return path


PART_PREFIX = ".cpkit-"
PART_SUFFIX = ".part"


def write_private(path: Path, data: str | bytes) -> Path:
    """THE private-file writer: ``data`` to ``path``, readable by the owner only (0600),
    atomically and durably, keeping the old file on any failure.

    Why: an export to a full disk, a killed process or a power cut must never leave a
    truncated file where a good one was.  The data goes to a hidden temporary file in
    the same folder (``.cpkit-*.part``), is flushed to the disk (``fsync``), then
    renamed over ``path`` in one step; the folder is synced so the rename survives a
    crash.  A failure removes the temporary file, leaves ``path`` as it was, and is
    reported as :class:`cpkit.errors.WriteFailed` (exit 1) naming the file and the
    reason ("No space left on device").  A symbolic link at ``path`` is replaced, never
    followed.  Leftover ``.part`` files of a killed process: :func:`clean_leftovers`.
    The two halves, for a writer that records something between them (a rendered
    report and its row in the store): :func:`stage_private` and :func:`place`.
    """
    return place(stage_private(path, data), path)


def part_path(path: Path, tag: str) -> Path:
    """The fixed name of ``path``'s temporary file for ``tag`` (``.cpkit-NAME.TAG.part``
    beside it), so that a recovery step can find the file a killed writer staged."""
    path = Path(path)
    return path.parent / f"{PART_PREFIX}{path.name}.{tag}{PART_SUFFIX}"


def content_tag(sha256: str) -> str:
    """The :func:`part_path` tag of a staged file whose content has this sha256."""
    return sha256[:16]


def stage_private(path: Path, data: str | bytes, tag: str | None = None) -> Path:
    """The first half of :func:`write_private`: ``data`` in a hidden temporary file
    beside ``path`` (0600, flushed to the disk); returns that file, which
    :func:`place` renames over ``path``.  ``tag``: the file is :func:`part_path`
    (path, tag) instead of a random name.  A failure leaves no temporary file and is a
    :class:`cpkit.errors.WriteFailed` naming ``path`` and the reason."""
    from cpkit.errors import WriteFailed

    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if tag is None:
            import tempfile

            fd, name = tempfile.mkstemp(dir=path.parent, prefix=PART_PREFIX,
                                        suffix=PART_SUFFIX)
            temporary = Path(name)
        else:
            temporary = part_path(path, tag)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW,
                         0o600)
    except OSError as err:
        raise WriteFailed(f"could not write {path}: {err.strerror or err}; "
                          "the previous file, if any, is unchanged") from None
    try:
        try:
            os.fchmod(fd, 0o600)
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException as err:
        temporary.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise WriteFailed(f"could not write {path}: {err.strerror or err}; "
                              "the previous file, if any, is unchanged") from None
        raise
    return temporary


def place(part: Path, path: Path) -> Path:
    """The second half of :func:`write_private`: the staged file ``part`` renamed over
    ``path`` in one step, the rename made durable."""
    from cpkit.errors import WriteFailed

    path = Path(path)
    try:
        os.replace(part, path)
    except OSError as err:
        Path(part).unlink(missing_ok=True)
        raise WriteFailed(f"could not write {path}: {err.strerror or err}; "
                          "the previous file, if any, is unchanged") from None
    sync_folder(path.parent)
    return path


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def clean_leftovers(folder: Path, older_than: float = 3600.0) -> list[Path]:
    """Remove ``.cpkit-*.part`` files a killed writer left in ``folder`` (and below).

    Only files older than ``older_than`` seconds go, so a writer at work in another
    process keeps its file.  Returns what was removed.
    """
    import time

    removed = []
    limit = time.time() - older_than
    for part in Path(folder).rglob(f"{PART_PREFIX}*{PART_SUFFIX}"):
        try:
            if part.is_file() and part.stat().st_mtime < limit:
                part.unlink()
                removed.append(part)
        except OSError:
            continue
    return removed

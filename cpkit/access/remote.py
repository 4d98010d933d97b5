"""The guard served to a form's kernel: the host reads and records, the kernel computes.

Why: a Voila page's widgets run in a kernel, and a kernel is where a notebook's code
runs; it should hold neither the store's address nor the key.  The server process that
starts the kernels (the host) opens the user's :class:`~cpkit.access.guard.Guard` and
serves it on a private Unix socket (:class:`GuardServer`); the kernel gets only the
socket's path and a one-kernel token, and calls the guard through
:class:`RemoteGuard`, which has the guard's methods.

The wire: each message is a 4-byte length and a body.  What the kernel sends is JSON
(:func:`encode` / :func:`decode`: cases as their documents, dates, sets), so that
nothing the kernel sends can run code in the host; what the host sends back is a
pickle, which only the kernel reads (the host is the trusted side).  A call may pass a
function (``Guard.write_agency_part``'s ``change``): the host calls it back over the
same connection, and the kernel runs it on the case it is given.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import pickle
import secrets
import socket
import socketserver
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cpkit.access.served import served_function
from cpkit.errors import CpkitError

SOCKET_ENV = "CPKIT_GUARD_SOCKET"
TOKEN_ENV = "CPKIT_GUARD_TOKEN"
_LENGTH = struct.Struct(">I")
MAX_MESSAGE = 64 * 1024 * 1024
# What a kernel may not ask of the guard: the store itself and the admin's work.
REFUSED = frozenset({"store", "close", "backup", "restore", "rotate_key", "add_user",
                     "remove_user", "grant", "revoke", "import_cases", "for_user"})


class RemoteError(CpkitError):
    """The host's guard could not be reached, or failed without a cpkit error."""


# --- the wire ---------------------------------------------------------------------------

def send(sock: socket.socket, body: bytes) -> None:
    sock.sendall(_LENGTH.pack(len(body)) + body)


def receive(sock: socket.socket) -> bytes:
    size = _LENGTH.unpack(_exactly(sock, _LENGTH.size))[0]
    if size > MAX_MESSAGE:
        raise RemoteError("the guard's message is too large")
    return _exactly(sock, size)


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise RemoteError("the connection to the guard was closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def encode(value: Any, callbacks: list[Callable] | None = None) -> Any:
    """``value`` as JSON can hold it (a case as its document, a function as a number
    the host calls back)."""
    from cpkit.model import Case

    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Case):
        return {"__case__": value.to_document()}
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, list | tuple):
        return [encode(v, callbacks) for v in value]
    if isinstance(value, set | frozenset):
        return {"__set__": [encode(v, callbacks) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("a guard call's mapping must have text keys")
        return {"__dict__": {k: encode(v, callbacks) for k, v in value.items()}}
    if callable(value) and callbacks is not None:
        callbacks.append(value)
        return {"__callback__": len(callbacks) - 1}
    raise TypeError(f"a guard call cannot carry {type(value).__name__}")


def decode(value: Any, call_back: Callable[[int, list], Any] | None = None) -> Any:
    """The value :func:`encode` made (a case validated again; a function: ``call_back``)."""
    if isinstance(value, list):
        return [decode(v, call_back) for v in value]
    if not isinstance(value, dict):
        return value
    if "__case__" in value:
        from cpkit.model import Case

        return Case.model_validate(value["__case__"])
    if "__date__" in value:
        return dt.date.fromisoformat(value["__date__"])
    if "__datetime__" in value:
        return dt.datetime.fromisoformat(value["__datetime__"])
    if "__set__" in value:
        return {decode(v, call_back) for v in value["__set__"]}
    if "__dict__" in value:
        return {k: decode(v, call_back) for k, v in value["__dict__"].items()}
    if "__callback__" in value and call_back is not None:
        number = int(value["__callback__"])
        return lambda *args: call_back(number, list(args))
    raise RemoteError("a guard call the host cannot read")


def _carried(err: BaseException) -> tuple:
    """An exception as it travels: its class, arguments and attributes (cpkit's errors
    take other arguments than they keep in ``args``, so they are not pickled whole)."""
    return type(err), err.args, dict(vars(err))


def _rebuilt(carried: tuple) -> BaseException:
    cls, args, attributes = carried
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(attributes)
    return err


# --- the host ---------------------------------------------------------------------------

class GuardServer:
    """The user's guard served on ``path`` (a Unix socket, mode 0600) to kernels that
    present ``token``; ``open_guard()`` opens the guard (one per connection: each has
    its own database connection)."""

    def __init__(self, path: Path, open_guard: Callable[[], Any], token: str | None = None):
        self.path = Path(path)
        self.token = token or secrets.token_urlsafe(32)
        self._open_guard = open_guard
        self._server: socketserver.ThreadingUnixStreamServer | None = None

    def env(self) -> dict[str, str]:
        """What a kernel gets to reach the guard (and nothing else)."""
        return {SOCKET_ENV: str(self.path), TOKEN_ENV: self.token}

    def start(self) -> GuardServer:
        served = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                served._serve(self.request)

        self.path.unlink(missing_ok=True)
        old = os.umask(0o177)
        try:
            self._server = socketserver.ThreadingUnixStreamServer(str(self.path), Handler)
        finally:
            os.umask(old)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="cpkit-guard",
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.path.unlink(missing_ok=True)

    def _serve(self, sock: socket.socket) -> None:
        try:
            hello = json.loads(receive(sock))
            if not secrets.compare_digest(str(hello.get("token", "")), self.token):
                refused = RemoteError("not this server's kernel")
                send(sock, pickle.dumps(("error", _carried(refused))))
                return
            guard = self._open_guard()
        except (RemoteError, OSError, ValueError):
            return
        except CpkitError as err:
            send(sock, pickle.dumps(("error", _carried(err))))
            return
        send(sock, pickle.dumps(("ok", {"user": guard.user, "principal": guard.principal,
                                        "single_user": guard.single_user})))
        try:
            while True:
                request = json.loads(receive(sock))
                send(sock, _answer_bytes(*self._answer(guard, sock, request)))
        except (RemoteError, OSError, ValueError):
            return
        finally:
            guard.close()

    def _answer(self, guard, sock: socket.socket, request: dict) -> tuple[str, Any]:
        name = str(request.get("call", ""))
        if request.get("function"):
            function = served_function(name)
            if function is None:
                return "error", RemoteError(f"no function {name!r} for a kernel")
            target = functools.partial(function, guard)
        elif name.startswith("_") or name in REFUSED or not callable(getattr(guard, name, None)):
            return "error", RemoteError(f"the guard has no call {name!r} for a kernel")
        else:
            target = getattr(guard, name)

        def call_back(number: int, args: list) -> Any:
            send(sock, pickle.dumps(("call_back", number, args)))
            kind, value = json.loads(receive(sock))
            if kind == "error":
                raise RemoteError(value)
            return decode(value)

        try:
            args = decode(request.get("args", []), call_back)
            kwargs = {str(k): decode(v, call_back)
                      for k, v in dict(request.get("kwargs", {})).items()}
            return "ok", target(*args, **kwargs)
        except CpkitError as err:
            return "error", err
        except Exception as err:  # noqa: BLE001  (said to the kernel, never a traceback)
            return "error", RemoteError(f"the guard failed ({type(err).__name__})")


def _answer_bytes(kind: str, value: Any) -> bytes:
    """The answer as it is sent; an answer that cannot travel is said as a failure (the
    kernel waiting for it must not wait for ever)."""
    try:
        return pickle.dumps((kind, _carried(value) if kind == "error" else value))
    except Exception as err:  # noqa: BLE001  (pickling fails with many types)
        failed = RemoteError(f"the guard's answer cannot be sent ({type(err).__name__})")
        return pickle.dumps(("error", _carried(failed)))


# --- the kernel -------------------------------------------------------------------------

class RemoteGuard:
    """The host's guard, called from a kernel as a :class:`~cpkit.access.guard.Guard`
    is called (one connection, calls one at a time)."""

    def __init__(self, path: str | None = None, token: str | None = None):
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._lock = threading.Lock()
        try:
            self._sock.connect(path or os.environ[SOCKET_ENV])
        except (KeyError, OSError) as err:
            raise RemoteError("this kernel cannot reach the guard of its server") from err
        send(self._sock, json.dumps({"token": token or os.environ.get(TOKEN_ENV, "")}).encode())
        facts = self._reply({})
        self.user, self.principal = facts["user"], facts["principal"]
        self.single_user = facts["single_user"]

    def __getattr__(self, name: str) -> Callable:
        if name.startswith("_") or name in REFUSED:
            raise AttributeError(name)

        def call(*args, **kwargs):
            return self._call(name, args, kwargs)

        call.__name__ = name
        return call

    def update(self, case_id: str, change: Callable, action: str = "update"):
        """:meth:`Guard.update <cpkit.access.guard.Guard.update>` made of two calls:
        ``change`` works on the case in place, here, where the case is."""
        from cpkit.access.guard import changed_and_saved

        return changed_and_saved(self, case_id, change, action)

    def call_served(self, name: str, args: tuple, kwargs: dict) -> Any:
        """Have the host run the access function ``name`` (:mod:`cpkit.access.served`)."""
        return self._call(name, args, kwargs, function=True)

    def _call(self, name: str, args: tuple, kwargs: dict, function: bool = False) -> Any:
        callbacks: list[Callable] = []
        body = json.dumps({"call": name, "function": function,
                           "args": encode(list(args), callbacks),
                           "kwargs": encode(kwargs, callbacks)["__dict__"]})
        with self._lock:
            send(self._sock, body.encode("utf-8"))
            return self._reply(callbacks)

    def _reply(self, callbacks) -> Any:
        while True:
            message = pickle.loads(receive(self._sock))
            if message[0] == "ok":
                return message[1]
            if message[0] == "error":
                raise _rebuilt(message[1])
            _kind, number, args = message
            try:
                answer = ["ok", encode(callbacks[number](*args))]
            except Exception as err:  # noqa: BLE001  (the host's call fails with it)
                answer = ["error", str(err) if isinstance(err, CpkitError)
                          else type(err).__name__]
            send(self._sock, json.dumps(answer).encode("utf-8"))

    def close(self) -> None:
        self._sock.close()


def kernel_guard() -> RemoteGuard | None:
    """The guard this kernel's server serves it (one connection per kernel), or
    ``None`` outside a served kernel (a notebook run by plain Voila or JupyterLab has
    the user's data folder itself)."""
    global _kernel_guard
    if not os.environ.get(SOCKET_ENV):
        return None
    if _kernel_guard is None:
        _kernel_guard = RemoteGuard()
    return _kernel_guard


_kernel_guard: RemoteGuard | None = None

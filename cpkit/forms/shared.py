"""Layout and Style models shared by many widgets: made once per kernel, never changed.

Every ipywidgets model a page makes costs a ``comm_open`` message (kernel -> Voila ->
browser), its JSON both ways and a JS model in the page; a form used to make ~450 of
them, over half Layout and Style models holding the same few values.  ipywidgets 8 lets
many widgets reference one Layout or Style, so an identical one is made once here and
handed to each widget that asks for it.

A shared one must never change: changing it would change every widget that holds it
(hiding one message would hide them all).  So a widget that is shown and hidden on its
own (``layout.display``) or restyled keeps its own Layout; a change to a shared one
raises :class:`SharedChanged`, so a test finds such a mistake at once.
"""

from __future__ import annotations

from typing import Any, TypeVar

import ipywidgets as w

M = TypeVar("M", bound=w.Widget)

_made: dict[tuple, w.Widget] = {}


class SharedChanged(RuntimeError):
    """A shared Layout or Style was changed (give that widget its own instead)."""


def _refuse(change: dict) -> None:
    owner, name = change["owner"], change["name"]
    owner.unobserve(_refuse, names=name)
    try:
        setattr(owner, name, change["old"])  # put back: the other widgets stay as they were
    finally:
        owner.observe(_refuse, names=name)
    raise SharedChanged(f"{type(owner).__name__}.{name} changed on an instance shared by "
                        "many widgets: give that widget its own")


def shared(cls: type[M], **traits: Any) -> M:
    """The kernel's one ``cls(**traits)`` (a Layout or a Style class); a new one only
    when none was made yet or it was closed (``Widget.close_all``)."""
    key = (cls, tuple(sorted(traits.items())))
    made = _made.get(key)
    if made is None or made.comm is None:
        made = cls(**traits)
        made.observe(_refuse, names=[k for k in made.keys if not k.startswith("_")])
        _made[key] = made
    return made  # type: ignore[return-value]


def layout(**traits: Any) -> w.Layout:
    """A shared Layout (``layout()``: the default one every widget would get)."""
    return shared(w.Layout, **traits)


def style(widget: type[w.Widget], **traits: Any) -> w.Widget:
    """A shared Style of the class ``widget`` takes (TextStyle for Text, HTMLStyle for
    HTML, ...): ipywidgets refuses a Style of another class."""
    return shared(widget.class_traits()["style"].klass, **traits)


def plain(widget: type[M], *args: Any, **kwargs: Any) -> M:
    """``widget(*args, **kwargs)`` with the shared default Layout and Style where none is
    given: for the many HTML notes and boxes nobody shows, hides or restyles one by one."""
    kwargs.setdefault("layout", layout())
    if "style" in widget.class_traits():
        kwargs.setdefault("style", style(widget))
    return widget(*args, **kwargs)

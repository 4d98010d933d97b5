"""The inbox on the landing page: the user's unread notices, each in their language,
with a link to its case and a button to mark them read (:mod:`cpkit.notify`)."""

from __future__ import annotations

import ipywidgets as w

from cpkit.access.served import served
from cpkit.forms.base import form_url
from cpkit.forms.fields import button, esc, link
from cpkit.forms.shared import layout, plain
from cpkit.i18n import _, current_lang
from cpkit.i18n.formatting import format_date
from cpkit.notify import inbox, mark_read


class InboxPanel:
    """Unread notices of ``user``; "Mark as read" clears them (only the user's own)."""

    def __init__(self, guard, user: str):
        if not hasattr(guard, "principal"):  # a plain Store (tests): the user's guard
            from cpkit.access import Guard

            guard = Guard.for_user(guard, user)
        self.guard = guard
        self.user = guard.user
        self.list = plain(w.HTML)
        self.read_button = button(_("Mark as read"), icon="check", cls="cpkit-mark-read")
        self.read_button.on_click(lambda _b: self.mark_read())
        self.widget = w.VBox([self.list, self.read_button], layout=layout(width="100%"))
        self.widget.add_class("cpkit-section")
        self.widget.add_class("cpkit-inbox")
        self.refresh()

    def notices(self):
        return unread(self.guard)

    def refresh(self) -> None:
        lang = current_lang()
        rows = "".join(
            f"<li data-id='{n.id}' class='cpkit-notice'>"
            f"{esc(format_date(n.created_at.date(), format='medium'))}: {esc(n.line(lang))}"
            + (" " + link(form_url("index", n.case_id), n.case_id) if n.case_id else "")
            + "</li>" for n in self.notices())
        body = f"<ul>{rows}</ul>" if rows else f"<p>{esc(_('No new notices.'))}</p>"
        self.list.value = f"<h3 class='cpkit-heading'>{esc(_('Inbox'))}</h3>{body}"
        self.read_button.layout.display = "" if rows else "none"

    def mark_read(self) -> int:
        count = read_all(self.guard)
        self.refresh()
        return count


@served
def unread(guard) -> list:
    """The guard's user's unread notices (by the host, for a form's kernel)."""
    return inbox(guard.store, guard.user, unread_only=True)


@served
def read_all(guard) -> int:
    """Mark the guard's user's notices read; how many (by the host, for a kernel)."""
    return mark_read(guard.store, guard.user)

"""Intake: the Center for Social Work's list of referrals waiting for a decision.

For each referral intake sees who referred, when, the delay since identification, and
whether the child is already known (:func:`cpkit.access.intake.known`: candidates by
case code, stage and risk only); then accepts it as a new case, links it to the known
child's case, or declines it with a reason the referrer reads.
"""

from __future__ import annotations

import ipywidgets as w

from cpkit import identity, protocol
from cpkit.access import intake
from cpkit.dashboard.labels import known_line
from cpkit.errors import CpkitError
from cpkit.forms.base import default_store, form_url
from cpkit.forms.fields import INPUT_LAYOUT, button, esc, heading, link
from cpkit.forms.page import page_meta
from cpkit.forms.style import stylesheet
from cpkit.i18n import _
from cpkit.i18n.formatting import format_date


class IntakePage:
    """The waiting referrals, each with its known-child candidates and decisions."""

    def __init__(self, *, guard=None, user: str | None = None):
        self.guard = guard or default_store()
        self.user = user or identity.current_user()
        self.status = w.HTML()
        self.status.add_class("cpkit-status")
        self.items = w.VBox(layout=w.Layout(width="100%"))
        self.widget = w.VBox([stylesheet(), page_meta(_("Intake")), heading(_("Intake"), 2),
                              self.status, self.items], layout=w.Layout(width="100%"))
        self.widget.add_class("cpkit-form")
        self.widget.add_class("cpkit-intake")
        self.refresh()

    def refresh(self) -> None:
        try:
            waiting = intake.listed(self.guard, status="received")
        except CpkitError as error:
            self.status.value = f"<span class='error'>{esc(error)}</span>"
            return
        boxes = [self._item(item) for item in waiting]
        self.items.children = boxes or [w.HTML(f"<p>{esc(_('No referrals waiting.'))}</p>")]

    def _item(self, item) -> w.VBox:
        to_refer, _hours = intake.delays(item)
        agency = protocol.label("agency", item.referring_agency)
        facts = _("From {agency}, sent on {day}").format(
            agency=agency, day=format_date(item.referred_at.date(), format="medium"))
        if to_refer is not None:
            facts += " · " + _("{n} days after the concern was identified").format(n=to_refer)
        candidates = intake.known(self.guard, item.id)
        lines = "".join(f"<li class='cpkit-known' data-code='{esc(c['case_id'])}'>"
                        f"{esc(known_line(c))}</li>" for c in candidates)
        unknown = esc(_("Not known: no case of this child."))
        known = f"<ul>{lines}</ul>" if lines else f"<p class='cpkit-not-known'>{unknown}</p>"
        message = w.HTML()
        message.add_class("cpkit-message")
        accept = button(_("Accept as new case"), style="primary", cls="cpkit-accept")
        accept.on_click(lambda _b: self.decide(item.id, message, "accept"))
        actions: list[w.Widget] = [accept]
        for c in candidates:
            words = (_("Link to {code} and reopen it") if c.get("stage") == "closed"
                     else _("Link to {code}"))
            join = button(words.format(code=c["case_id"]), cls="cpkit-link-case")
            join.on_click(lambda _b, code=c["case_id"]: self.decide(item.id, message, "link",
                                                                    code))
            actions.append(join)
        reason = w.Text(description=_("Reason"), placeholder=_("why it is declined"),
                        layout=w.Layout(**INPUT_LAYOUT))
        reason.add_class("cpkit-decline-reason")
        decline = button(_("Decline"), style="danger", cls="cpkit-decline")
        decline.on_click(lambda _b: self.decide(item.id, message, "decline", reason.value))
        box = w.VBox([w.HTML(f"<h3 class='cpkit-heading'>"
                             f"{esc(_('Referral {n}').format(n=item.id))}</h3>"
                             f"<p>{esc(facts)}</p>{known}"),
                      w.HBox(actions, layout=w.Layout(flex_flow="row wrap")),
                      w.HBox([reason, decline], layout=w.Layout(flex_flow="row wrap")),
                      message], layout=w.Layout(width="100%"))
        box.add_class("cpkit-section")
        box.add_class("cpkit-incoming")
        return box

    def decide(self, number: int, message: w.HTML, how: str, value: str | None = None):
        """Accept, link or decline referral ``number``; problems shown by the referral."""
        try:
            if how == "decline":
                intake.decline(self.guard, number, value or "")
                code, text = None, _("Referral {n} declined.").format(n=number)
            else:
                code = intake.accept(self.guard, number, link=value if how == "link" else None)
                text = (_("Referral {n} linked to {code}.") if how == "link"
                        else _("Referral {n} accepted: case {code}.")).format(n=number, code=code)
        except CpkitError as error:
            message.value = f"<span class='error'>{esc(error)}</span>"
            return None
        opened = " " + link(form_url("index", code), _("Open the case")) if code else ""
        self.status.value = f"<span class='ok cpkit-decided'>{esc(text)}</span>{opened}"
        self.refresh()
        return code

    def show(self) -> IntakePage:
        from IPython.display import display

        display(self.widget)
        return self

    @classmethod
    def from_query(cls, query: str | None = None, **kwargs) -> IntakePage:
        from cpkit.forms.query import apply_language, query_params

        apply_language(query_params(query), kwargs.get("user"))
        return cls(**kwargs)

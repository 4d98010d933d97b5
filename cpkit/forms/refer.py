"""Refer a child: an agency member's page (the protocol: every agency must "refer to the
CSW ... without delay", "accompanied with all the necessary information").

The referral goes through :func:`cpkit.access.intake.submit` (sealed, for intake);
below the form the member sees the referrals they sent, their status and, for a
declined one, intake's reason.
"""

from __future__ import annotations

import ipywidgets as w

from cpkit import identity, protocol
from cpkit.access import intake
from cpkit.dashboard.labels import REFERRAL_STATES
from cpkit.errors import BadInput, CpkitError, InvalidCase
from cpkit.forms.base import default_store
from cpkit.forms.checklists import title_html
from cpkit.forms.fields import (
    INPUT_LAYOUT,
    DateField,
    button,
    date,
    esc,
    heading,
    label_style,
    note,
    path_class,
    section,
)
from cpkit.forms.page import page_meta
from cpkit.forms.shared import layout, plain, style
from cpkit.forms.style import stylesheet
from cpkit.i18n import _, gettext
from cpkit.i18n.formatting import format_date


def _text(label: str, *, rows: int = 0) -> w.Widget:
    kind = w.Textarea if rows else w.Text
    extra = {"rows": rows} if rows else {}
    return kind(description=label, style=label_style(kind), layout=layout(**INPUT_LAYOUT),
                **extra)


def _choice(label: str, options: list[tuple[str, str]], none: str) -> w.Dropdown:
    return w.Dropdown(description=label, options=[(none, "")] + options, value="",
                      style=label_style(w.Dropdown), layout=layout(**INPUT_LAYOUT))


def _options(kind: str, keys) -> list[tuple[str, str]]:
    return [(protocol.label(kind, key), key) for key in keys]


# A path of the case a referral becomes -> the field of this page it came from.
_FIELD_OF = {"referral.identified_on": "identified_on"}


class ReferPage:
    """The referral form, its field messages, and the member's sent referrals."""

    def __init__(self, *, guard=None, user: str | None = None):
        self.guard = guard or default_store()
        self.user = user or identity.current_user()
        agencies = _options("agency", protocol.agency_keys())
        # the one date field of the forms: the regional form (29.09.2026) or ISO, its
        # format named in the user's language, the date in words under it
        self.dates: dict[str, DateField] = {
            "child.date_of_birth": date("child.date_of_birth", _("Date of birth")),
            "identified_on": date("identified_on", _("Identified on"))}
        self.inputs: dict[str, w.Widget] = {
            "child.given_name": _text(_("Given name")),
            "child.family_name": _text(_("Family name")),
            "child.date_of_birth": self.dates["child.date_of_birth"].widget,
            "child.sex": _choice(_("Sex"), _options("sex", protocol.SEX), _("not known")),
            "municipality": _text(_("Municipality")),
            "identified_on": self.dates["identified_on"].widget,
            "referral.concern": _text(_("Concern"), rows=4),
            "consent.parent_consent": _choice(
                _("Parents' consent"), _options("consent", protocol.CONSENT_VALUES),
                _("not asked yet")),
            "consent.child_assent": _choice(
                _("Child's assent"), _options("consent", protocol.CONSENT_VALUES),
                _("not asked yet")),
            "disclose.what": _text(_("What must not be disclosed")),
            "disclose.from": _choice(_("Not to (agency)"), agencies, _("Any agency")),
        }
        self.categories = {k: w.Checkbox(description=protocol.label("abuse_category", k),
                                         indent=False, layout=layout(width="14em"),
                                         style=style(w.Checkbox))
                           for k in protocol.ABUSE_CATEGORIES}
        self.messages = {key: plain(w.HTML) for key in [*self.inputs, "referral.abuse_categories",
                                                    "referring_agency", "child"]}
        self.messages.update({key: field.message for key, field in self.dates.items()})
        for message in self.messages.values():
            message.add_class("cpkit-message")
        self.send_button = button(_("Send referral"), style="primary", icon="paper-plane",
                                  cls="cpkit-send-referral")
        self.send_button.on_click(lambda _b: self.send())
        self.status = plain(w.HTML)
        self.status.add_class("cpkit-status")
        self.sent = plain(w.HTML)
        self.sent.add_class("cpkit-sent-referrals")
        self.widget = w.VBox([stylesheet(), page_meta(_("Refer a child")),
                              heading(_("Refer a child"), 2), *self._sections(),
                              self.send_button, self.status, self.sent],
                             layout=layout(width="100%"))
        self.widget.add_class("cpkit-form")
        self.widget.add_class("cpkit-refer")
        self.refresh()

    def _box(self, key: str) -> w.VBox:
        if key in self.dates:  # the field's own box: input, date in words, message
            return self.dates[key].box
        box = w.VBox([self.inputs[key], self.messages[key]], layout=layout(width="100%"))
        box.add_class("cpkit-field")
        box.add_class(path_class(key))
        return box

    def _sections(self) -> list[w.Widget]:
        b = self._box
        cats = w.HBox(list(self.categories.values()), layout=layout(flex_flow="row wrap"))
        return [
            section(_("The child"), [
                note(_("Identifying data stays sealed: intake sees it, nobody else.")),
                self.messages["child"], b("child.given_name"), b("child.family_name"),
                b("child.date_of_birth"), b("child.sex"), b("municipality")]),
            section(_("The concern"), [
                b("identified_on"), b("referral.concern"),
                title_html(_("Abuse categories")),
                cats, self.messages["referral.abuse_categories"]]),
            section(_("Consent and assent"), [
                b("consent.parent_consent"), b("consent.child_assent"),
                title_html(_("Do not disclose")),
                b("disclose.what"), b("disclose.from"), self.messages["referring_agency"]]),
        ]

    def document(self) -> dict:
        """What was typed, as :func:`cpkit.access.intake.submit` takes it."""
        v = {key: (widget.value or "").strip() or None for key, widget in self.inputs.items()}
        v.update({key: field.get() for key, field in self.dates.items()})
        consent = {k: v[f"consent.{k}"] for k in ("parent_consent", "child_assent")
                   if v[f"consent.{k}"]}
        if v["disclose.what"]:
            row = {"what": v["disclose.what"]}
            if v["disclose.from"]:
                row["from"] = v["disclose.from"]
            consent["do_not_disclose"] = [row]
        child = {k: v[f"child.{k}"] for k in ("given_name", "family_name", "date_of_birth",
                                              "sex") if v[f"child.{k}"]}
        return {"municipality": v["municipality"], "identified_on": v["identified_on"],
                "child": child, "consent": consent,
                "referral": {"concern": v["referral.concern"],
                             "abuse_categories": [k for k, c in self.categories.items()
                                                  if c.value]}}

    def _show(self, problems: list[tuple[str, str]]) -> None:
        for message in self.messages.values():
            message.value = ""
        for path, text in problems:
            path = _FIELD_OF.get(path, path)
            key = next((k for k in self.messages if path == k or path.startswith(k + ".")
                        or path.startswith(k + "[")), "child" if path.startswith("child")
                       else "referring_agency")
            self.messages[key].value = f"<span class='error'>{esc(text)}</span>"

    def send(self) -> int | None:
        """Send the referral; on a problem, say which field and why, and keep the input."""
        try:
            number = intake.submit(self.guard, self.document())
        except InvalidCase as error:
            self._show([(p.path, p.message) for p in error.problems])
            self.status.value = f"<span class='error'>{esc(_('Not sent: see the fields.'))}</span>"
            return None
        except BadInput as error:
            path, _sep, text = str(error).partition(": ")
            self._show([(path, text or str(error))])
            self.status.value = f"<span class='error'>{esc(_('Not sent: see the fields.'))}</span>"
            return None
        except CpkitError as error:
            self.status.value = f"<span class='error'>{esc(error)}</span>"
            return None
        self._show([])
        for widget in self.inputs.values():
            widget.value = ""
        for box in self.categories.values():
            box.value = False
        self.status.value = (f"<span class='ok cpkit-referral-sent' data-id='{number}'>"
                             f"{esc(_('Referral sent (number {n}).').format(n=number))}</span>")
        self.refresh()
        return number

    def refresh(self) -> None:
        rows = []
        for item in reversed(intake.listed(self.guard)):
            reason = item.decline_reason or ""
            state = REFERRAL_STATES.get(item.status)
            state = gettext(state) if state else item.status
            rows.append(f"<tr class='{item.status}' data-id='{item.id}'><td>{item.id}</td>"
                        f"<td>{esc(format_date(item.referred_at.date(), format='medium'))}</td>"
                        f"<td>{esc(state)}</td>"
                        f"<td>{esc(item.case_id or '')}</td>"
                        f"<td class='cpkit-reason'>{esc(reason)}</td></tr>")
        body = (f"<table class='cpkit-table'><tr><th>{esc(_('number'))}</th>"
                f"<th>{esc(_('sent on'))}</th><th>{esc(_('status'))}</th>"
                f"<th>{esc(_('code'))}</th><th>{esc(_('reason'))}</th></tr>{''.join(rows)}"
                "</table>" if rows else f"<p>{esc(_('No referrals sent yet.'))}</p>")
        self.sent.value = (f"<div class='cpkit-section'><h3 class='cpkit-heading'>"
                           f"{esc(_('Referrals you sent'))}</h3>{body}</div>")

    def show(self) -> ReferPage:
        from IPython.display import display

        display(self.widget)
        return self

    @classmethod
    def from_query(cls, query: str | None = None, **kwargs) -> ReferPage:
        from cpkit.forms.query import apply_language, query_params

        apply_language(query_params(query), kwargs.get("user"))
        return cls(**kwargs)

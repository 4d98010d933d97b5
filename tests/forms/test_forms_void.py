"""The referral form's "Void this case": a case created by mistake is voided from
where it was created, the reason asked for; every form then says it is void."""

from __future__ import annotations

import datetime as dt

from cpkit.forms.landing import Landing
from cpkit.forms.referral import ReferralForm
from cpkit.forms.risk import RiskForm
from tests.forms.test_forms_widgets import put


def today() -> dt.date:
    """Today when asked, not when the module was imported (a run may cross midnight)."""
    return dt.date.today()


def test_a_mistaken_case_is_voided_from_the_referral_form(sqlite_store):
    store = sqlite_store
    form = ReferralForm(None, store=store, today=today())
    assert form.void_box.layout.display == "none"  # no case yet
    put(form, "municipality", "Prizren")
    put(form, "child.given_name", "Drita")
    assert form.save() is True
    code = form.case_id
    assert form.void_box.layout.display is None  # created now: hers to void
    form.void_button.click()
    assert form.void_ask.layout.display == "flex"
    form.void_confirm.click()  # no reason yet: asked for, nothing written
    assert "reason" in form.void_message.value
    assert code in {r["case_id"] for r in store.summaries()}
    form.void_reason.value = "Entered twice: see PR-2026-0001"
    form.void_confirm.click()
    assert "is void" in form.status.value and form.save_button.disabled
    assert code not in {r["case_id"] for r in store.summaries()}
    assert [r["action"] for r in store.audit_rows(code)][-1] == "void"

    again = RiskForm(code, store=store, today=today())  # any form of it says so
    assert "Entered twice" in again.void_note.value and again.save_button.disabled
    landing = Landing(store=store, today=today())
    assert code not in landing.caseload.value
    landing.find(code)
    assert "Void since" in landing.result.value

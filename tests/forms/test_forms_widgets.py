"""Drive each form as a browser would (set widget values, save), then read the store back."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest

from cpkit.forms import drafts
from cpkit.forms.base import CaseForm
from cpkit.forms.care_plan import CarePlanForm
from cpkit.forms.closure import ClosureForm
from cpkit.forms.cmr import MeetingForm
from cpkit.forms.landing import Landing
from cpkit.forms.referral import ReferralForm
from cpkit.forms.risk import RiskForm, factor_options
from cpkit.forms.wellbeing import WellbeingForm
from tests.conftest import AS_OF, fixture_case

HIGH = "PR-2026-0001"
MEDIUM = "GR-2026-0001"
MINIMAL = "MI-2026-0001"


@pytest.fixture
def cases(store):
    store.import_cases([fixture_case(n) for n in (
        "case_high_physical.json", "case_medium_neglect.json", "case_minimal.json",
        "case_closed.json", "case_unaccompanied.json")], actor="fixtures")
    return store


def field(form: CaseForm, path: str):
    for f in form.all_fields():
        if f.path == path:
            return f
    raise AssertionError(f"no field {path}; have {[f.path for f in form.all_fields()]}")


def put(form: CaseForm, path: str, value) -> None:
    """Type ``value`` into the widget of ``path`` (the widget's own value type)."""
    field(form, path).widget.value = value


def test_referral_creates_a_case_and_saves_edits(cases):
    form = ReferralForm(None, store=cases, today=AS_OF)
    assert form.version is None and form.save_button.description == "Create case"
    put(form, "child.given_name", "Drita")
    put(form, "child.family_name", "Hoxha")
    put(form, "child.date_of_birth", "2019-03-02")
    put(form, "child.sex", "female")
    put(form, "municipality", "Prizren")
    put(form, "referral.date", "2026-11-20")
    put(form, "referral.referring_agency", "education")
    put(form, "referral.concern", "Bruises seen at school on Monday.")
    field(form, "referral.abuse_categories").boxes["physical"].value = True
    field(form, "agencies_involved").boxes["csw"].value = True
    put(form, "consent.parent_consent", "given")
    put(form, "consent.child_assent", "given")  # a 7-year-old: assent asked (a warning)
    put(form, "consent.written", "yes")
    form.not_to_disclose.add()
    put(form, "consent.do_not_disclose[0].what", "The new address of the mother")
    put(form, "consent.do_not_disclose[0].from", "police_community")
    assert form.problems == []
    assert form.save(), form.status.value
    code = form.case_id
    assert code.startswith("PZ-2026-")
    stored = cases.get(code)
    assert stored.version == 1
    case = stored.case
    assert case.child.given_name == "Drita" and case.child.date_of_birth == dt.date(2019, 3, 2)
    assert case.referral.abuse_categories == ["physical"]
    assert case.consent.written is True
    assert case.consent.do_not_disclose[0].from_ == "police_community"
    assert case.agencies_involved == ["csw"]
    assert drafts.read(form.user, None, "referral") is None

    again = ReferralForm(code, store=cases, today=AS_OF)
    assert field(again, "child.given_name").widget.value == "Drita"
    put(again, "referral.referrer", "Class teacher")
    assert again.save()
    assert cases.get(code).case.referral.referrer == "Class teacher"
    assert cases.get(code).version == 2


def test_referral_refuses_an_impossible_date_and_writes_nothing(cases):
    form = ReferralForm(HIGH, store=cases)
    put(form, "child.date_of_birth", "2019-02-30")
    assert "not a valid date" in field(form, "child.date_of_birth").message.value
    assert not form.save()
    assert cases.get(HIGH).version == 1


def test_consent_refused_needs_a_reason(cases):
    form = ReferralForm(HIGH, store=cases)
    put(form, "consent.parent_consent", "refused")
    reason = field(form, "consent.shared_without_consent_reason")
    assert "is required" in reason.message.value
    assert not form.save()
    put(form, "consent.shared_without_consent_reason", "Immediate danger to the child.")
    assert reason.message.value == ""
    # "decisions to disclose information should be taken in conjunction with management"
    assert "is required" in field(form, "consent.disclosure_agreed_by").message.value
    assert not form.save()
    put(form, "consent.disclosure_agreed_by", "Director of the CSW")
    assert form.save(), form.status.value
    assert cases.get(HIGH).case.consent.parent_consent == "refused"


def test_risk_form_saves_factors_and_checklists(cases):
    form = RiskForm(MINIMAL, store=cases, today=AS_OF)
    put(form, "assessment.started_on", "2026-11-10")
    put(form, "assessment.risk_factors.site_of_injury", "high")
    put(form, "assessment.risk_factors.abuse_history", "not_known")
    field(form, "assessment.vulnerabilities").boxes["vulnerability_age"].value = True
    form.open_category("neglect")
    first_sign = next(iter(form.signs.boxes))
    form.signs.boxes[first_sign].value = True
    assert form.save(), form.status.value
    case = cases.get(MINIMAL).case
    assert case.assessment.risk_factors.site_of_injury == "high"
    assert case.assessment.risk_factors.abuse_history == "not_known"
    assert case.assessment.vulnerabilities == ["vulnerability_age"]
    assert case.referral.signs == [first_sign]
    reopened = RiskForm(MINIMAL, store=cases, today=AS_OF)
    assert reopened.factors["site_of_injury"].widget.value == "high"
    assert field(reopened, "assessment.vulnerabilities").boxes["vulnerability_age"].value


def test_factor_options_show_the_protocol_descriptors():
    options = dict((value, text) for text, value in factor_options("child_age_capacity"))
    assert options["high"].startswith("High risk — Child is 5 or under")
    assert "not_known" in dict((v, t) for t, v in factor_options("abuse_history"))


def test_banner_text_high_unaccompanied_incomplete(cases):
    form = RiskForm(MINIMAL, store=cases, today=AS_OF)
    assert form.banner.level == "none"
    assert "Incomplete: 0 of 11 factors assessed" in form.banner_text
    put(form, "assessment.risk_factors.site_of_injury", "high")
    assert form.banner.level == "high"
    assert form.banner.lines[0] == "High risk: Site of injury"
    assert "Incomplete: 1 of 11 factors assessed" in form.banner_text
    assert "CMR required" in form.banner_text
    put(form, "assessment.risk_factors.site_of_injury", "low")
    put(form, "assessment.risk_factors.abuse_severity", "low")
    put(form, "assessment.risk_factors.family_stress", "low")
    assert form.banner.level == "low"
    assert "Incomplete: 3 of 11 factors assessed" in form.banner_text
    # Three low factors of eleven: whether a CMR is required is not known yet.
    assert "CMR required: not known yet" in form.banner_text
    field(form, "child.unaccompanied").widget.value = True
    assert form.banner.lines[0] == "High risk: unaccompanied child"
    assert "data-level='high'" in form.banner.widget.value
    assert "cpkit-risk-banner" in form.banner.widget._dom_classes


def test_age_suggestion_and_warning(cases):
    form = RiskForm(HIGH, store=cases, today=AS_OF)  # the child is 7
    assert "suggests Medium risk" in form.suggestion.value
    put(form, "assessment.risk_factors.child_age_capacity", "low")
    assert "lower than the child's age suggests" in form.age_warning.value.replace("&#x27;", "'")
    put(form, "assessment.risk_factors.child_age_capacity", "high")
    assert form.age_warning.value == ""


def test_wellbeing_form(cases):
    form = WellbeingForm(MINIMAL, store=cases, today=AS_OF)
    put(form, "assessment.wellbeing.safety.status", "not_met")
    put(form, "assessment.wellbeing.safety.notes", "Left alone at night.")
    put(form, "assessment.needs", "To be safe at night\nRegular meals")
    if form.band is not None:
        key = form.band["milestones"][0]["key"]
        field(form, "assessment.milestones_concerns").boxes[key].value = True
    assert form.save(), form.status.value
    case = cases.get(MINIMAL).case
    assert case.assessment.wellbeing.safety.status == "not_met"
    assert case.assessment.wellbeing.safety.notes == "Left alone at night."
    assert case.assessment.needs == ["To be safe at night", "Regular meals"]
    assert case.assessment.wellbeing.health.status == "not_assessed"
    if form.band is not None:
        assert case.assessment.milestones_concerns == [key]


def test_care_plan_add_edit_reorder_remove(cases):
    form = CarePlanForm(HIGH, store=cases, today=AS_OF)
    assert len(form.actions.rows) == 3
    form.actions.add()
    put(form, "care_plan.actions[3].need", "School attendance")
    put(form, "care_plan.actions[3].indicator", "achievement")
    put(form, "care_plan.actions[3].action", "Teacher reports attendance weekly")
    put(form, "care_plan.actions[3].responsible_agency", "education")
    put(form, "care_plan.actions[3].term", "short")
    put(form, "care_plan.actions[3].due", "2026-12-20")
    put(form, "care_plan.actions[3].contingency", "The CSW visits the family")  # agreed plan
    put(form, "care_plan.actions[0]._new_progress", "Visit done, all well.")
    form.actions.move(3, -1)
    form.actions.remove(1)
    put(form, "care_plan.review_date", "2026-12-15")
    assert form.save(), form.status.value
    actions = cases.get(HIGH).case.care_plan.actions
    assert [a.id for a in actions] == ["A1", "A4", "A3"]
    assert actions[1].need == "School attendance" and actions[1].due == dt.date(2026, 12, 20)
    assert actions[0].progress[-1].note == "Visit done, all well."
    assert actions[0].progress[-1].by == "test-assessor"
    assert len(actions[0].progress) == 3
    assert cases.get(HIGH).case.care_plan.review_date == dt.date(2026, 12, 15)


def test_care_plan_bad_due_date_is_shown_on_its_row(cases):
    form = CarePlanForm(HIGH, store=cases, today=AS_OF)
    put(form, "care_plan.actions[1].due", "2026-13-01")
    assert "not a valid date" in field(form, "care_plan.actions[1].due").message.value
    assert not form.save()
    assert cases.get(HIGH).version == 1


def test_cmr_new_meeting_keeps_invitees_apart_from_attendance(cases):
    """The invitees (by the protocol's rule) are not pre-filled as participants: unedited
    minutes never list as present someone who was only invited."""
    form = MeetingForm(MINIMAL, store=cases, today=AS_OF)
    assert form.is_new and form.kind.get() == "initial" and form.meeting_status.get() == "held"
    assert form.participants.get() == []
    assert form.next_meeting.get() == "2026-12-22"
    put(form, "meetings[0].date", "2026-11-25")
    assert form.next_meeting.get() == "2026-12-25"  # follows the meeting date
    put(form, "meetings[0].agreed_risk_level", "medium")
    put(form, "meetings[0].decisions", "Accept the case\nReview in one month")
    form.apologies.add()
    put(form, "meetings[0].apologies[0].agency", "police_community")
    put(form, "meetings[0].apologies[0].notified_on", "2026-11-24")
    put(form, "meetings[0].next_meeting", "2027-01-08")
    reason = field(form, "meetings[0].next_meeting_reason")
    assert "is required" in reason.message.value
    assert not form.save()
    put(form, "meetings[0].next_meeting_reason", "Winter holidays")
    put(form, "meetings[0].venue", "CSW Mitrovicë")
    assert not form.save()  # Article 7: nobody recorded as present; acknowledged
    assert "Article 7" in form.warning_panel.widget.children[0].children[0].value
    form.warning_panel.acknowledge_all()
    assert form.save(), form.status.value
    meeting = cases.get(MINIMAL).case.meetings[0]
    assert meeting.kind == "initial" and meeting.agreed_risk_level == "medium"
    assert meeting.status == "held" and meeting.venue == "CSW Mitrovicë"
    agencies = [i.agency for i in meeting.invited]
    assert "csw" in agencies and "other" not in agencies and len(agencies) > 10
    assert meeting.participants == []
    assert meeting.apologies[0].notified_on == dt.date(2026, 11, 24)
    assert meeting.decisions == ["Accept the case", "Review in one month"]
    assert not form.is_new and form.draft_key == "cmr-0"


def test_cmr_attendance_prefilled_from_the_answers(cases):
    """Recording a planned meeting: the participants come from the answers (attending,
    or the substitute named), not from the invitation."""
    record = cases.get(HIGH)
    document = record.case.to_document()
    document["meetings"].append({
        "date": "2026-11-20", "kind": "review", "status": "planned",
        "invited": [{"agency": "education", "answer": "attending", "name": "Teacher T."},
                    {"agency": "police_domestic_violence", "answer": "substitute",
                     "substitute": "Officer S."},
                    {"agency": "ngo", "answer": "apologies"}, {"agency": "csw"}]})
    from cpkit.exchange import load_case

    cases.save(load_case(document), record.version)
    form = MeetingForm(HIGH, meeting=2, store=cases, today=AS_OF)
    assert [(p["agency"], p["name"]) for p in form.participants.get()] == [
        ("education", "Teacher T."), ("police_domestic_violence", "Officer S.")]
    put(form, "meetings[2].status", "held")
    assert form.warning_panel.warnings  # Article 7: csw and ngo not present
    form.warning_panel.acknowledge_all()
    assert form.save(), form.status.value
    saved = cases.get(HIGH).case
    assert saved.meetings[2].status == "held"
    assert [p.name for p in saved.meetings[2].participants] == ["Teacher T.", "Officer S."]
    assert any(a.rule == "meetings.article_7_validity" for a in saved.acknowledgements)


def test_cmr_review_invites_involved_agencies(cases):
    form = MeetingForm(HIGH, store=cases, today=AS_OF)
    assert form.kind.get() == "review"
    assert form.participants.get() == []
    put(form, "meetings[2].date", "2026-11-20")
    assert not form.save()  # nobody recorded as present: Article 7, acknowledged
    form.warning_panel.acknowledge_all()
    assert form.save(), form.status.value
    involved = cases.get(HIGH).case.agencies_involved
    invited = [i.agency for i in cases.get(HIGH).case.meetings[2].invited]
    assert sorted(invited) == sorted(involved)


def test_the_case_manager_edits_the_invitees_on_the_cmr_form(cases):
    """"For the initial CMR and when it is proposed to close a case all agencies should be
    invited; in follow up CMRs only those agencies who are involved": ticked by that rule,
    following the kind of meeting until the case manager edits them, and kept as edited;
    an agency's answer stays with it."""
    form = MeetingForm(HIGH, store=cases, today=AS_OF)
    involved = sorted(cases.get(HIGH).case.agencies_involved)
    assert sorted(form.invitees.get()) == involved  # a review: the agencies involved
    put(form, "meetings[2].kind", "closure")
    assert len(form.invitees.get()) > len(involved)  # closure: every agency
    put(form, "meetings[2].kind", "review")
    assert sorted(form.invitees.get()) == involved
    form.invitees.boxes["ngo"].value = True  # one more agency, asked by the case manager
    put(form, "meetings[2].status", "planned")
    put(form, "meetings[2].date", "2026-12-15")
    assert form.save(), form.status.value
    invited = [i.agency for i in cases.get(HIGH).case.meetings[2].invited]
    assert sorted(invited) == sorted({*involved, "ngo"})

    record = cases.get(HIGH)  # the NGO answers; the case manager then drops another one
    document = record.case.to_document()
    for invitee in document["meetings"][2]["invited"]:
        if invitee["agency"] == "ngo":
            invitee.update(answer="apologies", information="Away that week")
    from cpkit.exchange import load_case

    cases.save(load_case(document), record.version)
    form = MeetingForm(HIGH, meeting=2, store=cases, today=AS_OF)
    assert "ngo" in form.invitees.get()
    dropped = involved[0]
    form.invitees.boxes[dropped].value = False
    assert form.save(), form.status.value
    kept = {i.agency: i for i in cases.get(HIGH).case.meetings[2].invited}
    assert dropped not in kept and kept["ngo"].answer == "apologies"
    assert kept["ngo"].information == "Away that week"


def test_closure_refused_by_the_rule_then_allowed(cases):
    """"Cases should be closed only in agreement with the members of the CMR.\""""
    form = ClosureForm(HIGH, store=cases, today=AS_OF)
    put(form, "closure.reason", "risk_reduced")
    assert any(p.rule == "closure.cmr_agreement" for p in form.problems)
    assert "held CMR agreed it" in field(form, "closure.agreed_at_meeting").message.value
    assert not form.save()
    assert cases.get(HIGH).case.closure is None and cases.get(HIGH).version == 1
    closed = ClosureForm("GJ-2026-0001", store=cases, today=AS_OF)
    assert closed.problems == [] and field(closed, "closure.reason").get() is not None


def test_stale_save_of_other_fields_merges_and_keeps_both(cases):
    mine = RiskForm(HIGH, store=cases, today=AS_OF)
    theirs = RiskForm(HIGH, store=cases, today=AS_OF)
    put(theirs, "assessment.risk_factors.other_carers", "medium")
    assert theirs.save()
    put(mine, "assessment.risk_factors.support_systems", "high")
    assert mine.save()  # merged: nobody else touched support_systems
    assert "merged with the changes saved since" in mine.status.value
    stored = cases.get(HIGH)
    assert stored.version == 3
    assert stored.case.assessment.risk_factors.other_carers == "medium"
    assert stored.case.assessment.risk_factors.support_systems == "high"
    assert mine.factors["other_carers"].widget.value == "medium"  # the form shows theirs
    row = cases.audit_rows(HIGH)[-1]
    assert row["detail"]["merge"]["automatic"] == ["assessment.risk_factors.support_systems"]
    assert row["detail"]["merge"]["kept"] == ["assessment.risk_factors.other_carers"]


def test_same_field_saved_by_both_is_shown_side_by_side_and_never_overwritten(cases):
    mine = WellbeingForm(HIGH, store=cases, today=AS_OF)
    theirs = WellbeingForm(HIGH, store=cases, today=AS_OF)
    put(theirs, "assessment.wellbeing.health.notes", "Saved first.")
    assert theirs.save()
    put(mine, "assessment.wellbeing.health.notes", "Typed second.")
    put(mine, "assessment.wellbeing.safety.notes", "Only I touched safety.")
    assert not mine.save()
    assert cases.get(HIGH).version == 2  # nothing written until decided
    panel = mine.merge_panel
    assert panel.open and [c.path for c in panel.conflicts] == [
        "assessment.wellbeing.health.notes"]
    text = panel.widget.children[1].children[0].children[0].value
    assert "Health" in text and "Saved by test-assessor at" in text and "Saved first." in text
    assert "Yours: Typed second." in text
    assert panel.apply_button.disabled
    panel.choose("assessment.wellbeing.health.notes", "combine", "Saved first. Typed second.")
    assert not panel.apply_button.disabled
    panel.apply()
    stored = cases.get(HIGH)
    assert stored.version == 3
    assert stored.case.assessment.wellbeing.health.notes == "Saved first. Typed second."
    assert stored.case.assessment.wellbeing.safety.notes == "Only I touched safety."
    merge = cases.audit_rows(HIGH)[-1]["detail"]["merge"]
    assert merge["decided"] == ["assessment.wellbeing.health.notes"]
    assert not panel.open and "Saved:" in mine.status.value


def test_restored_draft_never_puts_back_an_old_copy_of_a_saved_field(cases):
    """The two-tab journey of the issue: A saves a Health note; B (same form, stale) gets
    a conflict only where both typed, reloads, restores the draft: A's note stays."""
    tab_b = WellbeingForm(HIGH, store=cases, today=AS_OF)
    put(tab_b, "assessment.wellbeing.safety.notes", "B's safety note.")
    tab_a = WellbeingForm(HIGH, store=cases, today=AS_OF)
    put(tab_a, "assessment.wellbeing.health.notes", "A's health note.")
    assert tab_a.save()
    del tab_b  # the tab is closed before saving; the draft is kept
    again = WellbeingForm(HIGH, store=cases, today=AS_OF)
    assert again.draft_bar.layout.display == "flex"
    assert again.restore_draft()
    assert field(again, "assessment.wellbeing.health.notes").widget.value == "A's health note."
    assert field(again, "assessment.wellbeing.safety.notes").widget.value == "B's safety note."
    assert again.save()
    stored = cases.get(HIGH).case.assessment.wellbeing
    assert (stored.health.notes, stored.safety.notes) == ("A's health note.",
                                                          "B's safety note.")


def test_restored_draft_asks_where_both_changed_a_field(cases):
    tab_b = WellbeingForm(HIGH, store=cases, today=AS_OF)
    put(tab_b, "assessment.wellbeing.health.notes", "B's version.")
    tab_a = WellbeingForm(HIGH, store=cases, today=AS_OF)
    put(tab_a, "assessment.wellbeing.health.notes", "A's version.")
    assert tab_a.save()
    again = WellbeingForm(HIGH, store=cases, today=AS_OF)
    assert again.restore_draft()
    assert again.merge_panel.open
    assert field(again, "assessment.wellbeing.health.notes").widget.value == "A's version."
    again.merge_panel.choose("assessment.wellbeing.health.notes", "mine")
    again.merge_panel.apply()
    assert field(again, "assessment.wellbeing.health.notes").widget.value == "B's version."
    assert cases.get(HIGH).case.assessment.wellbeing.health.notes == "A's version."
    assert again.save()
    assert cases.get(HIGH).case.assessment.wellbeing.health.notes == "B's version."
    assert cases.audit_rows(HIGH)[-1]["detail"]["merge"]["decided"] == [
        "assessment.wellbeing.health.notes"]


def test_two_people_on_different_forms_of_one_case_both_save(cases):
    plan = CarePlanForm(HIGH, store=cases, today=AS_OF)
    wellbeing = WellbeingForm(HIGH, store=cases, today=AS_OF)
    plan.actions.add()
    row = plan.actions.rows[-1]
    values = {"need": "A safe way to school.", "action": "Walk her to school.",
              "responsible_agency": "education", "responsible_person": "A. Teacher",
              "term": "short", "due": "2026-12-20", "contingency": "The grandmother."}
    for f in row:
        if f.rel in values:
            f.widget.value = values[f.rel]
    put(wellbeing, "assessment.wellbeing.nurture.notes", "Grandmother visits daily.")
    assert wellbeing.save()
    plan.warning_panel.acknowledge_all()
    assert plan.save(), (plan.status.value, plan.problems)
    stored = cases.get(HIGH).case
    assert stored.assessment.wellbeing.nurture.notes == "Grandmother visits daily."
    assert stored.care_plan.actions[-1].need == "A safe way to school."


def test_draft_survives_reopening_and_goes_after_save(cases, cpkit_home):
    form = WellbeingForm(HIGH, store=cases, today=AS_OF)
    put(form, "assessment.wellbeing.health.notes", "Neurology check booked.")
    path = drafts.draft_path(form.user, HIGH, "wellbeing", form.tab_id)
    assert path.exists() and path.parent == cpkit_home / "drafts"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "Ëndrina" not in path.name and HIGH not in path.name  # a hash: tells nothing
    assert b"\xc3\x8bndrina" not in path.read_bytes() and b"Neurology" not in path.read_bytes()
    del form  # the tab is closed

    again = WellbeingForm(HIGH, store=cases, today=AS_OF)
    assert again.draft_bar.layout.display == "flex"
    assert field(again, "assessment.wellbeing.health.notes").widget.value != (
        "Neurology check booked.")
    again.restore_draft()
    assert field(again, "assessment.wellbeing.health.notes").widget.value == (
        "Neurology check booked.")
    assert again.save()
    assert not path.exists()
    assert cases.get(HIGH).case.assessment.wellbeing.health.notes == "Neurology check booked."
    assert WellbeingForm(HIGH, store=cases).draft_bar.layout.display == "none"


def test_unknown_case_shows_a_message(cases):
    form = RiskForm("XX-2026-9999", store=cases)
    assert "No case XX-2026-9999" in form.error.value
    assert RiskForm.from_query("", store=cases).error.value.count("No case chosen") == 1


def test_from_query_reads_the_case_code(cases):
    form = MeetingForm.from_query(f"case={HIGH}&meeting=0", store=cases)
    assert form.case_id == HIGH and form.meeting_index == 0 and not form.is_new


def test_landing_finds_by_code_and_name_and_lists_deadlines(cases):
    page = Landing(store=cases, today=AS_OF)
    assert HIGH in page.caseload.value
    assert page.find(HIGH) == [HIGH]
    assert "risk.ipynb?case=PR-2026-0001" in page.result.value
    assert "cpkit-deadlines" in page.result.value
    assert page.find("ëndrina") == [HIGH]
    assert page.find("nobody-like-this") == []
    assert "No case" in page.result.value


def test_the_page_header_names_the_case_and_its_municipality_in_the_users_language(cases):
    """The form's header: its title, the case code and the municipality (recorded
    "Graçanicë"), named as the reader's language names it."""
    from cpkit.i18n import set_lang

    assert "<span class='cpkit-municipality'>Graçanicë</span>" in RiskForm(
        MEDIUM, store=cases).header.value
    try:
        set_lang("sr")
        header = CarePlanForm(MEDIUM, store=cases).header.value
    finally:
        set_lang("en")
    assert "<span class='cpkit-code'>GR-2026-0001</span>" in header
    assert "<span class='cpkit-municipality'>Gračanica</span>" in header


def test_the_caseload_page_shows_each_coming_cmr_with_answers_and_reports(cases):
    """The caseload, like the dashboard, shows for each coming CMR who has answered, who
    has sent the progress report and who is late (agencies named, never keys)."""
    from cpkit import protocol
    from cpkit.rules import meeting_parts

    day = AS_OF + dt.timedelta(days=2)
    record = cases.get(HIGH)
    case = meeting_parts.plan(record.case, day, "review")
    case = meeting_parts.answer(case, day, "education", "attending", AS_OF)
    cases.save(case, record.version)
    shown = Landing(store=cases, today=AS_OF).caseload.value
    coming = shown.split("cpkit-caseload-coming")[1]
    assert f"data-case='{HIGH}'" in coming
    assert (f"{protocol.label('agency', 'education')}: "
            f"{protocol.label('invitation_answer', 'attending')}") in coming
    late = protocol.label("agency", "police_domestic_violence") + " — 1 days late"
    assert late in coming and "police_domestic_violence</" not in coming

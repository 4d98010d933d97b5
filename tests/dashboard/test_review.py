"""Learning from practice: counts under 5 suppressed, training cases never counted."""

import datetime as dt
import re

from click.testing import CliRunner

from cpkit import exchange, protocol
from cpkit.dashboard.charts import bar_chart
from cpkit.dashboard.review import median_days, review_data, review_html, suppressed, write_review
from tests.dashboard.helpers_dashboard import minimal_case

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def _closed(code: str, referred: dt.date, category: str, *, training=False,
            at_referral="high", at_closure="low", days_to_close=60):
    """A case referred on ``referred``, assessed, met and closed ``days_to_close`` later."""
    closed = referred + dt.timedelta(days=days_to_close)
    first = referred + dt.timedelta(days=20)
    case = minimal_case(code, referred, training=training)
    doc = case.to_document()
    doc["referral"]["abuse_categories"] = [category]
    doc["assessment"] = {"started_on": (referred + dt.timedelta(days=1)).isoformat(),
                         "completed_on": (referred + dt.timedelta(days=10)).isoformat(),
                         "risk_factors": {"abuse_severity": at_referral},
                         "nature_of_risk": ["nature_domestic_abuse",
                                            "Erion's uncle visits at night"]}
    doc["meetings"] = [
        {"date": first.isoformat(), "kind": "initial", "agreed_risk_level": at_referral,
         "minutes_distributed_on": (first + dt.timedelta(days=5)).isoformat()},
        {"date": closed.isoformat(), "kind": "closure", "agreed_risk_level": at_closure,
         "minutes_distributed_on": (closed + dt.timedelta(days=5)).isoformat()}]
    doc["assessment"]["wellbeing"] = {k: {"status": "met"} for k in protocol.indicator_keys()}
    # "risk reduced" only when the CMR agreed low (rule closure.risk_reduced): a case
    # still at medium risk closes because the family moved.
    reason = {"reason": "risk_reduced", "transferred_to": {"agency": "education"},
              "no_further_coordination": True} if at_closure in ("none", "low") else {
        "reason": "moved", "moved_to": "Prizren"}
    doc["closure"] = {"date": closed.isoformat(), **reason,
                      "family_views": "The family agrees the support helped.",
                      "child_views": "The child agrees.",
                      "agreed_at_meeting": closed.isoformat()}
    return exchange.load_case(doc)


def _cases():
    day = dt.date(2026, 2, 2)
    out = [_closed(f"MI-2026-05{i:02d}", day, "neglect", days_to_close=40 + i)
           for i in range(5)]                                   # 5 neglect
    out += [_closed(f"MI-2026-06{i:02d}", day, "physical", at_closure="medium")
            for i in range(4)]                                  # 4 physical
    out += [_closed(f"MI-2026-07{i:02d}", day, "sexual", training=True) for i in range(9)]
    return out


def test_small_counts_are_suppressed():
    assert [suppressed(n) for n in (0, 1, 4, 5, 12)] == ["<5", "<5", "<5", "5", "12"]
    assert median_days([3, 4, 5, 6]) is None and median_days([1, 2, 3, 4, 50]) == 3.0


def test_review_counts_and_training_cases_left_out():
    review = review_data(_cases(), START, END)
    assert review.referred == 9 and review.closed == 9  # the 9 training cases are not here
    assert review.abuse_categories == {"neglect": 5, "physical": 4}
    assert review.nature_of_risk == {"nature_domestic_abuse": 9, "other": 9}
    assert review.closure_reasons == {"risk_reduced": 5, "moved": 4}
    assert review.risk_change == {("high", "low"): 5, ("high", "medium"): 4}
    assert review.median("assessment") == 10.0
    assert review.median("first_cmr") == 20.0
    assert review.median("closure") == 44.0  # 40, 41, 42, 43, 44, 60, 60, 60, 60
    outside = review_data(_cases(), dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert outside.referred == 0 and outside.closed == 0


def test_review_page_shows_under_5_as_suppressed_and_nothing_identifying():
    page = review_html(review_data(_cases(), START, END), lang="en",
                       prepared_on=dt.date(2026, 7, 1))
    text = re.sub(r"<img[^>]*>", "", page)
    cells = re.findall(r"<td>([^<]*)</td><td class='count'>([^<]*)</td>", text)
    assert ("Neglect", "5") in cells
    assert ("Physical abuse", "&lt;5") in cells or ("Physical", "&lt;5") in cells
    assert "Sexual" not in text  # training cases' theme never appears
    assert "Erion" not in page and "uncle" not in page  # free text is not quoted
    assert "&lt;5" in text and ">4<" not in text
    # the crosstab: high -> low 5 cases, high -> medium 4 (suppressed), no totals
    assert re.search(r"at referral: High risk</th><td class='count'>5</td>"
                     r"<td class='count'>&lt;5</td>", text) or re.search(
        r"at referral: High risk</th><td class='count'>&lt;5</td><td class='count'>5</td>",
        text)
    assert "total" not in text.lower()


def test_suppressed_bars_are_not_drawn():
    fig = bar_chart(["a", "b", "c"], [4, 5, 0], "t", suppress=True)
    heights = [p.get_height() for p in fig.axes[0].patches]
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert heights == [0, 5, 0] and labels == ["<5", "5", "<5"]


def test_review_command_writes_a_private_file(cpkit_home):
    from cpkit.cli import main
    from cpkit.store import Store

    store = Store()
    store.import_cases(_cases())
    store.close()
    result = CliRunner().invoke(main, ["review", "--from", "2026-01-01", "--to", "2026-06-30"])
    assert result.exit_code == 0, result.output
    path = cpkit_home / "reports" / "review" / "review_2026-01-01_2026-06-30.html"
    assert result.stdout.strip() == str(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert (cpkit_home / "reports" / "review").stat().st_mode & 0o777 == 0o700
    assert "Learning from practice" in path.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["review", "--from", "2026-06-30", "--to", "2026-01-01"])
    assert bad.exit_code == 2


def test_review_as_pdf(tmp_path):
    path = write_review(review_data(_cases(), START, END), fmt="pdf", out_dir=tmp_path,
                        lang="en")
    assert path.read_bytes().startswith(b"%PDF") and path.stat().st_mode & 0o777 == 0o600


def test_review_shows_how_long_agencies_took_to_refer_and_intake_to_decide(store):
    """The protocol asks agencies to refer "without delay": the review shows the days
    from the concern identified to the referral, and from an agency's referral to the
    CSW's decision (medians, 5 cases or more)."""
    from cpkit.access import Guard, intake
    from cpkit.dashboard.review import load_review
    from tests.access.conftest import populate
    from tests.access.test_intake import referral_of

    cases = []
    for i, case in enumerate(_cases()[:9]):
        doc = case.to_document()
        doc["referral"]["identified_on"] = (case.referral.date
                                            - dt.timedelta(days=i % 3)).isoformat()
        cases.append(exchange.load_case(doc))
    assert review_data(cases, START, END).median("identification") == 1.0
    populate(store)
    school, sara = Guard.for_user(store, "edi"), Guard.for_user(store, "sara")
    for _ in range(5):
        intake.decline(sara, intake.submit(school, referral_of("case_medium_neglect.json")),
                       "Followed by another CSW.")
    today = dt.date.today()
    review = load_review(sara, today - dt.timedelta(days=1), today)
    assert len(review.days["intake"]) == 5 and review.median("intake") == 0.0
    assert "Agency referral to the CSW&#x27;s decision" in review_html(review)

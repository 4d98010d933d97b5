"""cpkit.model.copy_document: what a form copies its document with at every save, the
same copy as ``copy.deepcopy``."""

import copy
import datetime as dt

from cpkit.model import copy_document
from tests.conftest import fixture_document


def test_the_copy_is_deepcopy_s_and_shares_nothing():
    document = fixture_document("case_high_physical.json")
    document["marks"] = ["a", 1, 1.0, True, None, {"nested": [dt.date(2026, 1, 2)]}]
    copied = copy_document(document)
    assert copied == copy.deepcopy(document) == document
    assert [type(v) for v in copied["marks"]] == [str, int, float, bool, type(None), dict]
    copied["child"]["given_name"] = "changed"
    copied["marks"][5]["nested"].append("more")
    assert document["child"]["given_name"] != "changed"
    assert document["marks"][5]["nested"] == [dt.date(2026, 1, 2)]

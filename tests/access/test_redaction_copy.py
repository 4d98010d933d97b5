"""The one redactor makes its copy without validating it again
(:meth:`cpkit.model.Case.from_stored` of the case's own document, scrubbed): the copy is
the case validation makes of that document, equal in everything (fields set, unknown
keys such as the child's age and the redaction mark), and making it builds no
validator, so an agency member's ``cpkit show`` builds none either."""

from __future__ import annotations

import datetime as dt

from cpkit.access.redact import REDACTED_MARK, is_redacted, redact_identity
from cpkit.model import Case
from tests.test_model_stored import documents, same, validators_built_after


def test_a_redacted_copy_is_the_case_validation_makes_of_its_document():
    checked = 0
    for document in documents():
        case = Case.model_validate(document)
        for lang in (None, "sq"):
            redacted = redact_identity(case, dt.date(2026, 11, 22), lang)
            assert is_redacted(redacted)
            assert not {"given_name", "family_name", "date_of_birth", "address"} & set(
                redacted.child.model_fields_set)
            out = redacted.to_document()
            assert out[REDACTED_MARK] is True and "x_nickname" not in out["child"]
            same(Case.model_validate(out), redacted)
            checked += 1
    assert checked > 240


def test_a_redacted_read_builds_no_validator():
    assert validators_built_after(
        "from cpkit.access.redact import redact_identity\n"
        "redacted = redact_identity(model.Case.from_stored(document))\n"
        "assert redacted.child.model_extra['age_years'] >= 0") == []

"""Messages other modules produce without a translation marker, listed for the catalogs.

The forms show a rule problem as ``_(problem.message)``, so the message needs a catalog
entry even though its source (``cpkit.rules``, ``cpkit.exchange``) writes a plain
literal.  Listing it here with ``N_`` puts it in the extraction.  Once the source marks
a message with ``N_()`` itself, its line here can go; ``tests/i18n`` checks that every
message here is still written, word for word, somewhere in ``cpkit``.

Only fixed texts can be bridged this way: a message built with values (an f-string)
needs its source to translate the template first and fill in the values after.

Never imported at run time; read only by ``pybabel extract``.
"""

from cpkit.i18n import N_

UNMARKED = (
    # cpkit.exchange (pydantic validation)
    N_("is required"),
    N_("is not a field of the format here"),
    N_("a case must be a JSON object"),
    # cpkit.rules.checks
    N_("is after the referral date"),
    N_("is before the date the assessment started"),
    N_("is before the referral date"),
    N_("is not a plausible date (1950 to two years from today)"),
    N_("is in the future"),
    N_("another meeting is recorded on the same day"),
    # cpkit.rules.meetings
    N_("is not after the meeting"),
    N_("is required: the next meeting is not one month after this one"),
    N_("is before the meeting"),
)

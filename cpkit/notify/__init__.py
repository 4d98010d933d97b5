"""Telling people: each user's inbox, and e-mail through SMTP, never with a child's name.

The protocol asks that information be shared "without delay" and that agencies
"immediately notify the case manager"; its confidentiality rules say sensitive data such
as names "should not be transmitted by email".  So a notification carries a case code,
what happened and a link, nothing identifying, and the mail is only a carrier:

* :mod:`.kinds`: what each kind of notification says, in the recipient's language;
* :mod:`.inbox`: notifications written in the caller's transaction (a save and the
  notice it causes land together), read and marked read by their recipient;
* :mod:`.recipients`: who is told (the case manager, the agency that owes something,
  the supervisors);
* :mod:`.mailer`: the outbox sent through ``CPKIT_SMTP_URL``, recorded (to whom, what,
  when, delivered or the SMTP error) and retried with backoff; a mail server that is
  down never blocks or fails a save, because saves never talk to it;
* :mod:`.due`: the deadline notices (two working days ahead, and missed) that
  ``cpkit notify --send-due`` raises from a scheduler (cron, a systemd timer).
"""

from cpkit.notify.inbox import Notice, inbox, mark_read, notify

__all__ = ["Notice", "inbox", "mark_read", "notify"]

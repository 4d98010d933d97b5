"""Notifications: the inbox, and mail through a real SMTP server on loopback, never with a
child's name; a down mail server never blocks a save and its mail is retried."""

from __future__ import annotations

import datetime as dt

import pytest

from cpkit.access import Guard
from cpkit.dashboard.signoff import return_report
from cpkit.notify import inbox
from cpkit.notify.due import raise_deadline_notices
from cpkit.notify.mailer import SmtpSettings, deliver, mail_rows, queue_mail, set_contact
from cpkit.store.reports import add_report
from tests.access.conftest import identities, populate

AS_OF = dt.date(2026, 12, 8)  # PR-2026-0001: review CMR on 10.12, its preparations late


@pytest.fixture
def task_force(sqlite_store):
    """The task force's store; PR-2026-0001's latest minutes not yet distributed (so a
    deadline is missed on AS_OF) and its review CMR due two days after AS_OF."""
    populate(sqlite_store)
    record = sqlite_store.get("PR-2026-0001")
    record.case.meetings[-1].minutes_distributed_on = None
    sqlite_store.save(record.case, record.version)
    return sqlite_store


def smtp(port):
    return SmtpSettings.from_url(f"smtp://127.0.0.1:{port}?from=cpkit@example.org")


def names_in(text: str) -> list[str]:
    return [v for values in identities().values() for v in values if v and v in text]


def test_deadline_notices_reach_the_case_manager_and_missed_ones_the_supervisor(task_force):
    assert raise_deadline_notices(task_force, AS_OF) > 0
    arta = inbox(task_force, "arta")
    kinds = {n.kind for n in arta}
    assert kinds == {"deadline_due", "deadline_missed"}
    assert {n.case_id for n in arta} == {"PR-2026-0001"}  # only her own case
    sara = inbox(task_force, "sara")
    assert sara and {n.kind for n in sara} == {"deadline_missed"}  # missed ones only
    assert "PR-2026-0001" in {n.case_id for n in sara}
    assert inbox(task_force, "prob") == []  # probation owes none of these
    assert raise_deadline_notices(task_force, AS_OF) == 0  # nobody is told twice
    line = next(n for n in arta if n.kind == "deadline_missed").line("sq")
    assert "PR-2026-0001" in line and "_" not in line  # a deadline's name, not its key


def test_mail_arrives_without_a_name_and_is_logged(task_force, smtp_server, smtp_port,
                                                   monkeypatch):
    monkeypatch.setenv("CPKIT_BASE_URL", "https://cpkit.example.org/")
    set_contact(task_force, "arta", "arta@example.org", "immediate", "sq")
    set_contact(task_force, "sara", "sara@example.org", "daily")
    raise_deadline_notices(task_force, AS_OF)
    queued = queue_mail(task_force, AS_OF)
    smtp_server.start()
    counts = deliver(task_force, smtp(smtp_port))
    assert counts == {"sent": queued, "retrying": 0, "failed": 0}
    to_arta = [m for m in smtp_server.messages if m["to"] == ["arta@example.org"]]
    to_sara = [m for m in smtp_server.messages if m["to"] == ["sara@example.org"]]
    assert len(to_arta) == len(inbox(task_force, "arta")) and len(to_sara) == 1  # a digest
    for message in smtp_server.messages:
        assert "-2026-" in message["text"] and not names_in(message["text"])
        assert "https://cpkit.example.org/voila/render/index.ipynb?case=" in message["text"]
    assert all("PR-2026-0001" in m["text"] for m in to_arta)
    assert "Subject: cpkit:" in to_arta[0]["text"]
    log = mail_rows(task_force)
    assert {r["status"] for r in log} == {"sent"} and all(r["sent_at"] for r in log)
    assert not names_in(" ".join(r["subject"] for r in log))
    assert queue_mail(task_force, AS_OF) == 0  # the digest goes once a day


def test_a_down_mail_server_never_blocks_a_save_and_the_mail_is_retried(
        task_force, smtp_server, smtp_port):
    set_contact(task_force, "arta", "arta@example.org", "immediate")
    guard = Guard.for_user(task_force, "arta")
    record = guard.get("PR-2026-0001", "edit")
    guard.save(record.case, record.version)  # nothing about mail can fail a save
    raise_deadline_notices(task_force, AS_OF)
    queue_mail(task_force, AS_OF)
    down = deliver(task_force, smtp(smtp_port))
    assert down["sent"] == 0 and down["retrying"] > 0
    log = mail_rows(task_force)
    assert all(r["status"] == "pending" and r["attempts"] == 1 and r["last_error"] for r in log)
    smtp_server.start()
    too_soon = deliver(task_force, smtp(smtp_port))
    assert too_soon["sent"] == 0  # it waits its backoff
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    assert deliver(task_force, smtp(smtp_port), now=later)["sent"] == len(log)
    assert {r["status"] for r in mail_rows(task_force)} == {"sent"}
    assert len(smtp_server.messages) == len(log)


def test_a_returned_report_tells_who_rendered_it_and_the_case_manager(task_force):
    report = add_report(task_force, case_id="PR-2026-0001", case_version=1, kind="minutes",
                        fmt="html", lang="en", redacted=False, meeting_date=None,
                        path="/nowhere/minutes.html", sha256="0" * 64, actor="edi")
    return_report(task_force, report, "Arta Morina is named in full: use the code",
                  actor="sara")
    for user in ("edi", "arta"):
        notices = [n for n in inbox(task_force, user) if n.kind == "report_returned"]
        assert len(notices) == 1
        text = notices[0].line()
        assert "PR-2026-0001" in text and "Arta Morina is named" not in text
    assert inbox(task_force, "edi")[0].detail["by"] == "sara"


def test_bad_smtp_settings_and_contacts_are_refused_naming_the_field(task_force):
    from cpkit.errors import BadInput

    with pytest.raises(BadInput, match="CPKIT_SMTP_URL"):
        SmtpSettings.from_url("http://mail.example.org")
    with pytest.raises(BadInput, match="email"):
        set_contact(task_force, "arta", "not an address", "daily")


def _self_signed(folder):
    """A certificate for 127.0.0.1 (and its key), written to ``folder``."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_mail_goes_encrypted_with_starttls_and_never_in_the_clear_when_required(
        task_force, smtp_server, smtp_port, tmp_path, monkeypatch):
    """A real SMTP server on loopback offering STARTTLS (its certificate trusted through
    SSL_CERT_FILE): the mail arrives over TLS.  A server without STARTTLS and
    ``starttls=require``: nothing is sent, the error is logged, the mail waits."""
    import ssl

    from aiosmtpd.controller import Controller

    set_contact(task_force, "arta", "arta@example.org", "immediate")
    raise_deadline_notices(task_force, AS_OF)
    queued = queue_mail(task_force, AS_OF)
    smtp_server.start()  # plain: no STARTTLS offered
    required = SmtpSettings.from_url(f"smtp://127.0.0.1:{smtp_port}?starttls=require")
    refused = deliver(task_force, required)
    assert refused["sent"] == 0 and not smtp_server.messages
    assert all("STARTTLS" in r["last_error"] for r in mail_rows(task_force))
    smtp_server.stop()

    cert, key = _self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    seen: list[dict] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            seen.append({"tls": session.ssl is not None,
                         "text": envelope.content.decode("utf-8", "replace")})
            return "250 OK"

    server = Controller(Handler(), hostname="127.0.0.1", port=smtp_port,
                        tls_context=context, require_starttls=True)
    server.start()
    try:
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
        sent = deliver(task_force, required, now=later)
    finally:
        server.stop()
    assert sent["sent"] == queued and len(seen) == queued
    assert all(m["tls"] and "PR-2026-0001" in m["text"] and not names_in(m["text"])
               for m in seen)

"""A real SMTP server on loopback (aiosmtpd), collecting what arrives."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest


class Collector:
    """aiosmtpd handler: keeps each message's envelope and text."""

    def __init__(self):
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": parsed["Subject"],
                              "text": f"Subject: {parsed['Subject']}\n{parsed.get_content()}",
                              "raw": envelope.content.decode("utf-8", "replace")})
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    """Start an SMTP server on ``smtp_port``; ``start()``/``stop()`` for down-time tests."""
    from aiosmtpd.controller import Controller

    class Server:
        def __init__(self):
            self.collector = Collector()
            self.controller = None

        @property
        def messages(self):
            return self.collector.messages

        def start(self):
            self.controller = Controller(self.collector, hostname="127.0.0.1", port=smtp_port)
            self.controller.start()

        def stop(self):
            if self.controller:
                self.controller.stop()
                self.controller = None

    server = Server()
    yield server
    server.stop()

"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the sender tests, a port nobody listens on, and
filing through the intake with the notification settings of a test."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from sunshine.site import clock
from sunshine.site.notify import shutdown

from ..intake.conftest import COMPLAINT, FILED_AT, receipt
from .gateway import RecordingGateway


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that refuses connections (bound once, then released)."""
    return free_port()


@pytest.fixture(autouse=True)
def _fresh_senders():
    RecordingGateway.sent.clear()
    yield
    shutdown(wait=True)  # nothing queued may outlive its test


@pytest.fixture
def file_complaint_with(demo):
    """File through the intake with ``settings`` applied; returns (response, number, code)."""

    def _file(settings: dict, **changes):
        demo.config.update(settings)
        with clock.frozen(FILED_AT):
            response = demo.test_client().post("/intake/complaint", data={**COMPLAINT, **changes})
        number, code = receipt(response.get_data(as_text=True)) if response.status_code == 201 else ("", "")
        return response, number, code

    return _file

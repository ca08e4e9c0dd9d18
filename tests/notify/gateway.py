"""SMS gateways an operator could name in SUNSHINE_NOTIFY_SMS ("tests.notify.gateway:RecordingGateway").

Stand-ins for a provider's network API (which cannot be reached from a test): one keeps what it was
asked to send, one fails like a provider that is down.
"""

from __future__ import annotations

from typing import ClassVar


class RecordingGateway:
    sent: ClassVar[list[tuple[str, str]]] = []

    def send_sms(self, phone: str, text: str) -> None:
        RecordingGateway.sent.append((phone, text))


class DownGateway:
    def send_sms(self, phone: str, text: str) -> None:
        raise ConnectionError("SMS provider unreachable")

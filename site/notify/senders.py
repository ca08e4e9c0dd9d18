"""The senders: a log line (default), e-mail over SMTP, and SMS through a pluggable gateway."""

from __future__ import annotations

import importlib
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any, Protocol

log = logging.getLogger("sunshine.notify")


@dataclass(frozen=True)
class Message:
    """One notification. ``reference`` (the tracking number) is the only part a log line may name."""

    channel: str  # "sms" | "email"
    to: str
    subject: str
    body: str
    reference: str


class Sender(Protocol):
    def send(self, message: Message) -> None:
        """Deliver or raise; the dispatcher catches and logs."""


class LogSender:
    """Writes that a notification was due, without its destination or text (they are private)."""

    def send(self, message: Message) -> None:
        log.info("notification %s for %s by %s (log sender: not delivered)", message.subject,
                 message.reference, message.channel)


class SmtpSender:
    """E-mail through an SMTP server (STARTTLS and login when configured)."""

    def __init__(self, *, host: str, port: int, sender: str, user: str = "", password: str = "",
                 starttls: bool = False, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.starttls, self.timeout = user, password, starttls, timeout

    def send(self, message: Message) -> None:
        email = EmailMessage()
        email["From"] = formataddr(("阳光政务", self.sender))
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or "localhost")
        email.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(email)


class SmsGateway(Protocol):
    """What an SMS provider's adapter implements: send ``text`` to a mainland mobile number."""

    def send_sms(self, phone: str, text: str) -> None: ...


class SmsSender:
    """SMS through a gateway; the text is the subject and body in one short message."""

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    def send(self, message: Message) -> None:
        self.gateway.send_sms(message.to, f"【阳光政务】{message.subject}：{message.body}")


def _load(spec: str) -> Any:
    module, _, name = spec.partition(":")
    if not name:
        raise ValueError(f"expected 'package.module:factory', got {spec!r}")
    return getattr(importlib.import_module(module), name)


def sender_for(channel: str, config: dict[str, Any]) -> Sender:
    """The configured sender of a channel (``SUNSHINE_NOTIFY_EMAIL`` / ``SUNSHINE_NOTIFY_SMS``)."""
    if channel == "email":
        choice = config.get("SUNSHINE_NOTIFY_EMAIL", "log")
        if choice == "smtp":
            return SmtpSender(host=config["SUNSHINE_SMTP_HOST"], port=int(config["SUNSHINE_SMTP_PORT"]),
                              sender=config["SUNSHINE_SMTP_FROM"], user=config.get("SUNSHINE_SMTP_USER", ""),
                              password=config.get("SUNSHINE_SMTP_PASSWORD", ""),
                              starttls=bool(config.get("SUNSHINE_SMTP_STARTTLS")),
                              timeout=float(config.get("SUNSHINE_SMTP_TIMEOUT", 10)))
        if choice != "log":
            raise ValueError(f"SUNSHINE_NOTIFY_EMAIL must be 'log' or 'smtp', not {choice!r}")
        return LogSender()
    if channel == "sms":
        choice = config.get("SUNSHINE_NOTIFY_SMS", "log")
        return LogSender() if choice == "log" else SmsSender(_load(choice)())
    raise ValueError(f"unknown notification channel {channel!r}")

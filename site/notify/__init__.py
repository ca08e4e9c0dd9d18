"""Telling a citizen who left a phone or an e-mail: the query code after filing, then progress.

``notify(record, subject, body)`` picks the sender of the channel the citizen chose
(``record.notify_by``) and sends after the request has stored everything; a failing or slow
sender is logged (never with the destination or the message, which carries the query code) and
never fails, delays or loses a filing. ``senders`` holds the log sender (the default), SMTP for
e-mail, and the SMS gateway interface an operator plugs a provider into.
"""

from .dispatch import notify, shutdown
from .senders import LogSender, Message, Sender, SmsGateway, SmsSender, SmtpSender, sender_for

__all__ = ["LogSender", "Message", "Sender", "SmsGateway", "SmsSender", "SmtpSender", "notify", "sender_for",
           "shutdown"]

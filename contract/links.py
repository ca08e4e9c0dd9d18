"""Links: the one rule that decides whether a link typed by staff may be published.

Every link that reaches a public page goes through ``safe_link``: the material
templates of an item (``template_url``), links in Markdown text (the sanitizer's
attribute filter in ``publisher/markup.py``), the online channel's address, and
the back-office form where staff type a link. A regular expression cannot do
this job: browsers treat ``\\`` as ``/`` in http(s) URLs, strip tabs and
newlines out of the middle of a URL, and servers decode ``%2F`` and ``%5C``, so
``/\\host/x``, ``/\\t/host`` or ``/%2F/host`` all look like same-site paths to a
pattern and lead off-site in a browser. Here the value is split with
``urllib.parse.urlsplit`` and judged part by part, after refusing what a parser
and a browser could read differently.

What survives:

* absolute ``http``/``https`` URLs with an ASCII host name (a Chinese domain is
  written in its ``xn--`` form) and no user name or password in them;
* same-site paths: they begin with exactly one ``/``;
* ``mailto:`` and ``tel:`` links, only where the caller allows them (Markdown
  text allows them; a material template link does not).

Everything else is refused: other schemes (``javascript:``, ``data:``…), a
scheme without ``//`` and a host (``https:host``, ``http:///x``), ``//host``,
relative paths (``x/y``, ``#top``), any backslash, control, format or white-space
character anywhere (the values are checked again after percent-decoding, up to
three times, so ``%5C``, ``%2F%2F`` and ``%09`` do not slip through), and
full-width or other look-alikes of ``/ \\ : @ . % ? #`` (``／``, ``＼``, ``：``…).
Spaces around the whole value are removed first, as a browser would; the
returned value is the trimmed text, unchanged otherwise.

Pure Python; imports neither Flask nor Pelican.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

#: Schemes a page may link to without the caller's say-so.
WEB_SCHEMES = frozenset({"http", "https"})
#: Extra schemes that Markdown text may use (e-mail and telephone links).
CONTACT_SCHEMES = frozenset({"mailto", "tel"})

#: The message the back office shows when it refuses a link (Chinese, for staff).
UNSAFE_LINK_MESSAGE = (
    "链接不安全或格式不对：只能填写以 http:// 或 https:// 开头的完整网址，"
    "或以一个“/”开头的本站地址（不能含反斜杠“\\”、空格、控制字符或其编码形式）。"
)

_URL_DELIMITERS = frozenset("/\\:@.%?#")
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_MAILBOX = re.compile(r"[^@\s/\\]+@[^@\s/\\]+\.[^@\s/\\]+")
_PHONE = re.compile(r"\+?[0-9][0-9\-().]*")
_DECODE_ROUNDS = 3


def _bad_character(char: str) -> bool:
    """Controls, invisible format characters, any white space, the backslash, and look-alikes
    of URL delimiters (e.g. full-width solidus ／, which NFKC folds into "/")."""
    if char == "\\" or char.isspace():
        return True
    if unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cs", "Cn"}:
        return True
    if ord(char) < 128:
        return False
    folded = unicodedata.normalize("NFKC", char)
    return any(c in _URL_DELIMITERS for c in folded)


def _clean_text(text: str) -> bool:
    """True when no character of ``text`` is one a browser or server could read differently."""
    return not any(_bad_character(char) for char in text)


def _decoded_forms(value: str) -> list[str]:
    """The value and what percent-decoding makes of it, up to three rounds (%252F → %2F → /)."""
    forms = [value]
    for _ in range(_DECODE_ROUNDS):
        decoded = unquote(forms[-1], errors="strict") if "%" in forms[-1] else forms[-1]
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    return forms


def _valid_host(hostname: str) -> bool:
    """An ASCII DNS name (letters, digits, hyphens; dot-separated labels), e.g. zwfw.example.gov.cn."""
    if not hostname or len(hostname) > 253 or not hostname.isascii():
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in hostname.split("."))


def _web_url(value: str) -> bool:
    parts = urlsplit(value)
    if not value[len(parts.scheme) + 1 :].startswith("//"):
        return False  # https:host, https:/host
    netloc = parts.netloc
    if not netloc or "@" in netloc:
        return False  # no host, or user:password@ (https://good.example@evil.example)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return _valid_host(parts.hostname or "")


def _contact_url(scheme: str, value: str) -> bool:
    rest = value[len(scheme) + 1 :]
    if scheme == "mailto":
        address = rest.split("?", 1)[0]
        return bool(_MAILBOX.fullmatch(address))
    return bool(_PHONE.fullmatch(rest))


def safe_link(value: str | None, *, extra_schemes: frozenset[str] = frozenset()) -> str | None:
    """The link, trimmed, if it may be published; None if it must not be.

    ``extra_schemes`` may add ``mailto`` and/or ``tel`` (see ``CONTACT_SCHEMES``);
    http(s) URLs and same-site paths are always allowed.
    """
    if value is None:
        return None
    text = value.strip(" ")
    if not text:
        return None
    try:
        forms = _decoded_forms(text)
    except UnicodeDecodeError:
        return None  # percent-encoded bytes that are not UTF-8
    if not all(_clean_text(form) for form in forms):
        return None
    if text.startswith("/"):
        # One slash only, in every decoded form: "//host" and "/%2Fhost" leave the site.
        if any(form.startswith("//") for form in forms):
            return None
        parts = urlsplit(text)
        return text if not parts.scheme and not parts.netloc else None
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        return text if _web_url(text) else None
    if scheme in CONTACT_SCHEMES & extra_schemes:
        return text if _contact_url(scheme, text) else None
    return None


def is_safe_link(value: str | None, *, extra_schemes: frozenset[str] = frozenset()) -> bool:
    """Whether ``safe_link`` keeps the value (for validators that keep what was typed)."""
    return safe_link(value, extra_schemes=extra_schemes) is not None

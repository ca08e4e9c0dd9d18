"""Every setting of the Flask app, with its documented default, in one place.

Values come from environment variables prefixed ``SUNSHINE_`` so that an
operator can deploy without editing code; tests pass a mapping instead.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (``content/`` and ``themes/`` live here).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def database_url(url: str | None) -> str | None:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver we install."""
    if url and url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def serves_https(flag: str | None, static_url: str) -> bool:
    """Whether the deployment is reached over HTTPS: ``SUNSHINE_HTTPS`` ("1"/"0") when set, else
    whether the public address (``SUNSHINE_STATIC_URL``) is https."""
    if flag is not None and flag.strip():
        return flag.strip().lower() in ("1", "true", "yes", "on")
    return static_url.strip().lower().startswith("https://")


def default_settings(instance_path: str) -> dict:
    """Defaults, overridable by ``SUNSHINE_*`` environment variables."""
    instance = Path(instance_path)
    env = os.environ.get
    return {
        # Database: SQLite file under instance/ unless SUNSHINE_DATABASE_URL is set.
        "SQLALCHEMY_DATABASE_URI": database_url(env("SUNSHINE_DATABASE_URL"))
        or f"sqlite:///{instance / 'sunshine.sqlite3'}",
        # Never echo statement parameters into logs or exception messages: a failed insert
        # would otherwise log a complainant's or applicant's name and phone.
        "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
        "SECRET_KEY": env("SUNSHINE_SECRET_KEY"),
        # Which audiences this process serves: admin (back office), public
        # (complaint and rating intake, case lookup), api (the approval system's
        # token-authenticated JSON API under /api/v1, see docs/openapi/cases.yaml),
        # static (serves the published site). A public deployment runs "public"
        # alone; an internal one "admin,api".
        "SUNSHINE_ROLES": tuple(
            r.strip() for r in env("SUNSHINE_ROLES", "admin,public,api,static").split(",") if r.strip()
        ),
        # Where published builds live: web_root/current -> builds/<id>.
        "SUNSHINE_WEB_ROOT": env("SUNSHINE_WEB_ROOT") or str(instance / "public"),
        # The snapshot written on each export / publish.
        "SUNSHINE_SNAPSHOT_PATH": env("SUNSHINE_SNAPSHOT_PATH") or str(instance / "snapshot.json"),
        # Whoosh index of the back office.
        "SUNSHINE_SEARCH_INDEX": env("SUNSHINE_SEARCH_INDEX") or str(instance / "search-index"),
        # Whoosh index of the published records only (the public search API and page), updated on publish.
        "SUNSHINE_PUBLIC_SEARCH_INDEX": env("SUNSHINE_PUBLIC_SEARCH_INDEX") or str(instance / "public-search-index"),
        # The preview's publisher, one process per instance shared by every web worker, listens
        # here (site/preview_server.py) and ends after SUNSHINE_PREVIEW_IDLE seconds without a preview.
        "SUNSHINE_PREVIEW_SOCKET": env("SUNSHINE_PREVIEW_SOCKET") or str(instance / "preview.sock"),
        "SUNSHINE_PREVIEW_IDLE": float(env("SUNSHINE_PREVIEW_IDLE", "1800")),
        "SUNSHINE_CONTENT_DIR": env("SUNSHINE_CONTENT_DIR") or str(PROJECT_ROOT / "content"),
        "SUNSHINE_THEME_DIR": env("SUNSHINE_THEME_DIR") or str(PROJECT_ROOT / "themes" / "sunshine"),
        # Base URL of the public intake as printed into the static site
        # ("" = same origin as the static site).
        "SUNSHINE_INTAKE_URL": env("SUNSHINE_INTAKE_URL", ""),
        # Base URL of the static site as linked from the intake and the back office
        # ("" = same origin: the intake's header and footer link to /items/ and so on); also the
        # public base URL of the canonical links and the sitemap (snapshot site.site_url): set it to
        # the absolute address (https://zwfw.example.gov.cn) in production.
        "SUNSHINE_STATIC_URL": env("SUNSHINE_STATIC_URL", ""),
        # Working days a department has to answer a complaint (local rule; 13 seen).
        "SUNSHINE_COMPLAINT_DAYS": int(env("SUNSHINE_COMPLAINT_DAYS", "13")),
        # Working days to accept (受理) or decline a complaint after it arrives.
        "SUNSHINE_COMPLAINT_ACCEPT_DAYS": int(env("SUNSHINE_COMPLAINT_ACCEPT_DAYS", "1")),
        # Working days after closing during which the complainant may reopen, once.
        "SUNSHINE_COMPLAINT_REOPEN_DAYS": int(env("SUNSHINE_COMPLAINT_REOPEN_DAYS", "5")),
        # Working days a department has to answer an online question (网上咨询).
        "SUNSHINE_QUESTION_DAYS": int(env("SUNSHINE_QUESTION_DAYS", "5")),
        # Notifications to citizens who left a phone or e-mail (site/notify): "log" (default: a log
        # line without the destination or the message), "smtp" for e-mail; for SMS a
        # "package.module:factory" returning an SmsGateway (see site/notify/senders.py).
        "SUNSHINE_NOTIFY_EMAIL": env("SUNSHINE_NOTIFY_EMAIL", "log"),
        "SUNSHINE_NOTIFY_SMS": env("SUNSHINE_NOTIFY_SMS", "log"),
        "SUNSHINE_SMTP_HOST": env("SUNSHINE_SMTP_HOST", "localhost"),
        "SUNSHINE_SMTP_PORT": int(env("SUNSHINE_SMTP_PORT", "25")),
        "SUNSHINE_SMTP_USER": env("SUNSHINE_SMTP_USER", ""),
        "SUNSHINE_SMTP_PASSWORD": env("SUNSHINE_SMTP_PASSWORD", ""),
        "SUNSHINE_SMTP_STARTTLS": env("SUNSHINE_SMTP_STARTTLS", "0") == "1",
        "SUNSHINE_SMTP_FROM": env("SUNSHINE_SMTP_FROM", "noreply@localhost"),
        "SUNSHINE_SMTP_TIMEOUT": float(env("SUNSHINE_SMTP_TIMEOUT", "10")),
        # Send after the response in a background thread (1), or inline (0, tests): either way a
        # failing sender is logged and never fails or loses a filing.
        "SUNSHINE_NOTIFY_ASYNC": env("SUNSHINE_NOTIFY_ASYNC", "1") != "0",
        # An item whose public version was not reviewed (published again) for this many months is listed
        # as stale on the back office's 事项质量 page.
        "SUNSHINE_STALE_MONTHS": int(env("SUNSHINE_STALE_MONTHS", "12")),
        # 电子监察: a running deadline this many working days away (or fewer) is yellow.
        "SUNSHINE_WARNING_DAYS": int(env("SUNSHINE_WARNING_DAYS", "1")),
        # 整改 work order of a bad rating: each stage is due this many working days after
        # the rating (local rules; 5 or 15 working days seen for the rectification itself).
        "SUNSHINE_RECTIFICATION_DAYS": {
            "contact": int(env("SUNSHINE_RECTIFY_CONTACT_DAYS", "1")),
            "finding": int(env("SUNSHINE_RECTIFY_FINDING_DAYS", "3")),
            "rectify": int(env("SUNSHINE_RECTIFY_DAYS", "5")),
            "answer": int(env("SUNSHINE_RECTIFY_ANSWER_DAYS", "5")),
        },
        # 不满意率 at or above this percentage is flagged on the public figures (一票否决线).
        "SUNSHINE_VETO_PERCENT": int(env("SUNSHINE_VETO_PERCENT", "30")),
        # Months of figures published (ending with the current month).
        "SUNSHINE_FIGURE_MONTHS": int(env("SUNSHINE_FIGURE_MONTHS", "12")),
        # The publish queue (site/jobs): a SQLite file by default, so one machine needs no other
        # service; redis://host:6379/<db> when set (several back-office hosts share one queue).
        # `sunshine worker` runs it; `sunshine demo` runs a worker thread inside the process.
        "SUNSHINE_QUEUE_URL": env("SUNSHINE_QUEUE_URL") or f"sqlite:///{instance / 'queue.sqlite3'}",
        # Run a queued publish at once inside the request that asked for it (tests, one-shot scripts).
        "SUNSHINE_QUEUE_IMMEDIATE": env("SUNSHINE_QUEUE_IMMEDIATE", "0") == "1",
        # A publish still "running" after this many seconds died with its worker (SIGKILL, reboot):
        # it is recorded as failed and no longer holds the queue back.
        "SUNSHINE_PUBLISH_TIMEOUT": int(env("SUNSHINE_PUBLISH_TIMEOUT", "1800")),
        # Build the Pagefind index on publish (tests that need no static search turn it off).
        "SUNSHINE_STATIC_SEARCH": env("SUNSHINE_STATIC_SEARCH", "1") != "0",
        # A publish makes its pages live with the live search index, and the publisher indexes the
        # changed pages right after answering (publisher/service.py): a city's edit is live in about a
        # second instead of after its index. 0: the index is made before the swap, inside the publish.
        "SUNSHINE_SEARCH_LATER": env("SUNSHINE_SEARCH_LATER", "1") != "0",
        # After each publish, with its pages live, one full garbage collection and what the worker keeps
        # frozen out of the collector's sight (publishing.collect_between_publishes). 0: not (the suite,
        # whose one process holds every test's objects: a full collection per publish cost it minutes).
        "SUNSHINE_COLLECT_BETWEEN_PUBLISHES": env("SUNSHINE_COLLECT_BETWEEN_PUBLISHES", "1") != "0",
        # Reverse proxies in front of the app that append to X-Forwarded-For (1 behind one nginx;
        # 0 = none, the client address is the TCP peer). Rate limits count per client address, so a
        # wrong number either puts every citizen behind the proxy's address or lets anyone pick one.
        "SUNSHINE_PROXY_HOPS": int(env("SUNSHINE_PROXY_HOPS", "0")),
        # Per-address rate limits of the public intake (site/public/limits.py); only POSTs count.
        # Off only in tests that post many times from one address.
        "RATELIMIT_ENABLED": env("SUNSHINE_RATELIMIT_ENABLED", "1") != "0",
        # Where the counts live. memory:// counts in each worker process separately (3 workers
        # let 3 x the limit through), so production with several workers needs Redis:
        # redis://127.0.0.1:6379 (or redis://host:6379/<db>).
        "SUNSHINE_RATELIMIT_STORAGE": env("SUNSHINE_RATELIMIT_STORAGE", "memory://"),
        # Filing a complaint, a question or a rating, per address, all forms together ("N per minute;M per day").
        "SUNSHINE_LIMIT_FILING": env("SUNSHINE_LIMIT_FILING", "5 per minute;30 per day"),
        # Complaint and case lookups per address; only failed ones count (a wrong code is a guess).
        "SUNSHINE_LIMIT_LOOKUP": env("SUNSHINE_LIMIT_LOOKUP", "20 per minute;200 per day"),
        # Searches (/intake/search and /api/search) per address, every request counted.
        "SUNSHINE_LIMIT_SEARCH": env("SUNSHINE_LIMIT_SEARCH", "60 per minute;2000 per day"),
        # Seconds the public forms reuse their lists of departments and items before checking
        # whether anything was published or withdrawn (site/public/choices.py; 0 = every time).
        "SUNSHINE_CHOICES_SECONDS": float(env("SUNSHINE_CHOICES_SECONDS", "60")),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Cookies only over HTTPS (the Secure flag): on when SUNSHINE_HTTPS=1, off when SUNSHINE_HTTPS=0;
        # unset, on when SUNSHINE_STATIC_URL is an https:// address (a production site) and off
        # otherwise, so the demo on http://127.0.0.1 keeps working. A back office served over plain
        # HTTP on an internal network sets SUNSHINE_HTTPS=0 explicitly.
        "SESSION_COOKIE_SECURE": serves_https(env("SUNSHINE_HTTPS"), env("SUNSHINE_STATIC_URL", "")),
        "REMEMBER_COOKIE_SECURE": serves_https(env("SUNSHINE_HTTPS"), env("SUNSHINE_STATIC_URL", "")),
        # Back-office sessions (site/sessions.py) end after this many minutes without a request ...
        "SUNSHINE_SESSION_IDLE_MINUTES": int(env("SUNSHINE_SESSION_IDLE_MINUTES", "30")),
        # ... and this many hours after login, however busy.
        "SUNSHINE_SESSION_HOURS": int(env("SUNSHINE_SESSION_HOURS", "12")),
        # Login attempts (site/login_limits.py, counted in the audit log, so exact across processes):
        # this many failures for one account within the window (since its last successful login) ...
        "SUNSHINE_LOGIN_ACCOUNT_FAILURES": int(env("SUNSHINE_LOGIN_ACCOUNT_FAILURES", "5")),
        # ... or this many from one client address, refuse every login (even with the right password) ...
        "SUNSHINE_LOGIN_ADDRESS_FAILURES": int(env("SUNSHINE_LOGIN_ADDRESS_FAILURES", "20")),
        # ... until the oldest counted failure is this many minutes old.
        "SUNSHINE_LOGIN_WINDOW_MINUTES": int(env("SUNSHINE_LOGIN_WINDOW_MINUTES", "15")),
        # Largest request body anywhere (the public intake included) ...
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # ... except a case import file (~10,000 rows are 1-3 MB), allowed on that route only.
        "SUNSHINE_IMPORT_MAX_BYTES": int(env("SUNSHINE_IMPORT_MAX_BYTES", str(20 * 1024 * 1024))),
        # Attachments (附件, site/attachments): stored by SHA-256 in this private folder (0700, files 0600);
        # the publisher copies the ones published records link to into the site at /files/<sha256>/<name>.
        "SUNSHINE_ATTACHMENTS_DIR": env("SUNSHINE_ATTACHMENTS_DIR") or str(instance / "attachments"),
        # Largest attachment accepted (bytes; 10 MB by default).
        "SUNSHINE_ATTACHMENT_MAX_BYTES": int(env("SUNSHINE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
        "JSON_AS_ASCII": False,
    }

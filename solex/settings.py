"""Solex settings: one module, every deployment choice read from the environment.

The embedded default (no environment at all) is SQLite in ``var/`` beside the
project, a secret key generated once into ``var/secret_key``, and email printed to
the console. ``SOLEX_PRODUCTION=1`` turns on the production checks: a real secret is
required, cookies are secure and HTTPS is enforced.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


PRODUCTION = env_bool("SOLEX_PRODUCTION")
DEBUG = env_bool("SOLEX_DEBUG")
DATA_DIR = Path(os.environ.get("SOLEX_DATA_DIR") or BASE_DIR / "var").resolve()


def _secret_key() -> str:
    key = os.environ.get("SOLEX_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SOLEX_SECRET_KEY is not set. In production set it to a long random string, "
            'e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    # Embedded default: generate once and keep it, so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

BASE_URL = os.environ.get("SOLEX_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SOLEX_ALLOWED_HOSTS", "").split(",") if h.strip()
] or ["127.0.0.1", "localhost", "[::1]", BASE_URL.split("://", 1)[-1].split(":")[0].split("/")[0]]
CSRF_TRUSTED_ORIGINS = [BASE_URL]

INSTALLED_APPS = [
    "solex.core",
    "solex.accounts",
    "solex.taxonomy",
    "solex.notifications",
    "solex.mail",
    "solex.search",
    "solex.communities",
    "solex.expertise",
    "solex.exchanges",
    "solex.people",
    "solex.knowledge",
    "solex.consultations",
    "solex.discussions",
    "solex.collaboration",
    "solex.digests",
    "solex.intake",
    "solex.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

# Draws <select> elements in Python: same bytes, a fraction of the time (solex.core.rendering).
FORM_RENDERER = "solex.core.rendering.SolexFormRenderer"

ROOT_URLCONF = "solex.urls"
WSGI_APPLICATION = "solex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite tuning (see docs/decisions/0002-sqlite-settings.md): WAL lets readers run
# beside one writer; IMMEDIATE takes the write lock at BEGIN so two writers queue on
# the busy timeout instead of failing mid-transaction with "database is locked";
# synchronous=NORMAL is durable against a process crash, and on power loss can lose
# at most the last transactions committed since the previous WAL checkpoint.
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA cache_size=-20000;"
        "PRAGMA mmap_size=134217728;"
        "PRAGMA temp_store=MEMORY;"
    ),
}


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "solex.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            "CONN_MAX_AGE": None,
        }
    import dj_database_url

    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        )
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database address Solex understands ({exc}). "
            "Use postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH."
        ) from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["CONN_MAX_AGE"] = None
        config["CONN_HEALTH_CHECKS"] = False
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs 10-400 ms on the short queries pages make and never
        # pays back at this size (measured on the people directory at 200,000 members).
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL names {config['ENGINE']!r}; Solex supports PostgreSQL and SQLite."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and tasks -------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "solex_cache",
        }
    }

# Tasks: the database queue by default (one process, nothing else to run); with
# SOLEX_TASK_BACKEND=rq and REDIS_URL, Redis + RQ workers (pip install "solex[scale]").
SOLEX_TASK_BACKEND = os.environ.get("SOLEX_TASK_BACKEND", "db")
if SOLEX_TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "SOLEX_TASK_BACKEND=rq needs REDIS_URL, e.g. redis://127.0.0.1:6379/0."
        )
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
elif SOLEX_TASK_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(
        f"SOLEX_TASK_BACKEND must be 'db' or 'rq', not {SOLEX_TASK_BACKEND!r}."
    )
# A task still marked running this long after it was claimed belongs to a worker
# that died; the worker puts it back in the queue (solex.core.worker).
SOLEX_TASK_LEASE_SECONDS = env_int("SOLEX_TASK_LEASE_SECONDS", 600)
SOLEX_TASK_MAX_ATTEMPTS = env_int("SOLEX_TASK_MAX_ATTEMPTS", 3)
# Tasks `solex worker` enqueues once per period, even with several workers running
# (solex.core.schedule): a task's dotted path, its period in seconds and optionally
# a UTC time of day ("HH:MM") the periods start at.
SOLEX_PERIODIC_TASKS: list[dict[str, Any]] = [
    {
        "task": "solex.communities.tasks.close_expired_communities",
        "every": 24 * 60 * 60,
        "at": "02:00",
    },
    # Chase asked experts after the community's reminder days; alert the facilitators
    # with the next best experts after its escalation days. Both run at most once per request.
    {"task": "solex.exchanges.tasks.remind_experts", "every": 60 * 60},
    {"task": "solex.exchanges.tasks.escalate_unanswered_queries", "every": 60 * 60},
    # The expertise ledger (docs/expertise.md): new evidence every ten minutes, and a
    # full read each night so withdrawn endorsements and hidden replies leave it.
    {"task": "solex.expertise.tasks.refresh_expertise_ledger", "every": 10 * 60},
    {"task": "solex.expertise.tasks.rebuild_expertise_ledger", "every": 24 * 60 * 60, "at": "03:30"},
    # Close consultations at their deadline and draft their feedback summary.
    {"task": "solex.consultations.tasks.close_due_consultations", "every": 15 * 60},
    # Discussions: close them at their closing date (drafting the synthesis), and remind
    # each facilitator weekly to summarise, with a draft from the week's posts.
    {"task": "solex.discussions.tasks.close_due_discussions", "every": 15 * 60},
    {"task": "solex.discussions.tasks.remind_summaries", "every": 60 * 60},
    # The library (docs/knowledge.md): tell reviewers weekly what is past its review date.
    {"task": "solex.knowledge.tasks.remind_reviewers", "every": 7 * 24 * 60 * 60, "at": "06:00"},
    # Email (docs/email-out.md): every minute, mail the notifications still unread after
    # the grouping delay and new posts, and retry failed sends; then the digests.
    {"task": "solex.digests.tasks.sweep", "every": 60},
    {"task": "solex.mail.tasks.send_due", "every": 60},
    {"task": "solex.digests.tasks.send_daily_digests", "every": 24 * 60 * 60, "at": "05:00"},
    {"task": "solex.digests.tasks.send_weekly_digests", "every": 7 * 24 * 60 * 60, "at": "05:00"},
    # Inbound mail (docs/email-in.md): schedule again stored mail whose task was lost.
    {"task": "solex.intake.tasks.requeue_pending_inbound", "every": 5 * 60},
]

# Where the expertise ledger reads evidence (solex.expertise.evidence): one function
# per source, in the app that owns the data. Evidence halves in weight every
# SOLEX_EXPERTISE_HALF_LIFE_DAYS (declared and endorsed expertise keeps half for good).
SOLEX_EXPERTISE_SOURCES = [
    "solex.people.expertise_evidence.declarations",
    "solex.people.expertise_evidence.endorsements",
    "solex.exchanges.expertise_evidence.replies",
    "solex.exchanges.expertise_evidence.helpful_marks",
    "solex.exchanges.expertise_evidence.answered_queries",
    "solex.knowledge.expertise_evidence.items",
]
SOLEX_EXPERTISE_HALF_LIFE_DAYS = env_int("SOLEX_EXPERTISE_HALF_LIFE_DAYS", 365)

# --- Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Whether people whose address matches no member organisation may sign up as
# external partners (otherwise they need an invitation).
SOLEX_OPEN_PARTNER_SIGNUP = env_bool("SOLEX_OPEN_PARTNER_SIGNUP", default=True)
# Whether a request for a new community waits for the knowledge management team
# (staff users) to approve it, or creates the community at once.
SOLEX_COMMUNITY_APPROVAL_REQUIRED = env_bool("SOLEX_COMMUNITY_APPROVAL_REQUIRED", default=True)

# The home page's sections, in order: each app contributes one (solex.core.home).
SOLEX_HOME_SECTIONS = [
    "solex.exchanges.home.facilitation_section",
    "solex.communities.home.communities_section",
    "solex.people.home.people_section",
]

# --- Search (docs/search.md) ------------------------------------------------------
# What can be found: each app describes its documents and who may see them.
SOLEX_SEARCH_SOURCES = [
    "solex.exchanges.search_documents.EXCHANGES",
    "solex.exchanges.search_documents.REPLIES",
    "solex.knowledge.search_documents.KNOWLEDGE",
    "solex.people.search_documents.PEOPLE",
    "solex.communities.search_documents.COMMUNITIES",
]
# Who knows about a topic, for topic pages: a function (topic ids, viewer, limit).
SOLEX_TOPIC_EXPERTS = "solex.people.search_documents.topic_experts"
# Extra sections of topic pages (an events app adds its upcoming events here).
SOLEX_TOPIC_PAGE_SECTIONS: list[str] = []
# Keep the index current: what changed every minute, deleted objects hourly.
SOLEX_PERIODIC_TASKS += [
    {"task": "solex.search.tasks.sweep_index", "every": 60},
    {"task": "solex.search.tasks.prune_index", "every": 60 * 60},
]

# What waits on a facilitator in the workspace (solex.exchanges.workspace.queries):
# each dotted path names a function(context) -> items, oldest first. Higher apps
# (consultations, discussions, ...) append their own, e.g. summaries due.
SOLEX_WORKSPACE_SOURCES = [
    "solex.exchanges.workspace.queries.triage_source",
    "solex.exchanges.workspace.queries.direct_connect_source",
    "solex.exchanges.workspace.queries.no_reply_source",
    "solex.exchanges.workspace.queries.expert_silent_source",
    "solex.exchanges.workspace.queries.consolidation_overdue_source",
    "solex.exchanges.workspace.queries.closing_soon_source",
    "solex.exchanges.workspace.queries.welcome_source",
    "solex.consultations.workspace.summary_due_source",
    "solex.discussions.workspace.summary_due_source",
    "solex.discussions.workspace.synthesis_due_source",
]

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "solex" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Attachments (solex.core.files): kept outside the web root, served only through views
# that check who may read them; size limit in bytes and allowed types (detected from
# the content, as MIME types).
SOLEX_FILES_DIR = Path(os.environ.get("SOLEX_FILES_DIR") or DATA_DIR / "files").resolve()
SOLEX_MAX_UPLOAD_BYTES = env_int("SOLEX_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
SOLEX_UPLOAD_TYPES = [
    t.strip()
    for t in os.environ.get(
        "SOLEX_UPLOAD_TYPES",
        "application/pdf,image/png,image/jpeg,image/gif,image/webp,"
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
        "application/vnd.openxmlformats-officedocument.presentationml.presentation,"
        "application/vnd.oasis.opendocument.text,text/plain,text/csv,text/markdown",
    ).split(",")
    if t.strip()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email ---------------------------------------------------------------------
_email_host = os.environ.get("SOLEX_EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            # Django's SMTP backend, plus a send that records a copy as sent at the
            # moment the server can deliver it (solex.mail.backends).
            "BACKEND": "solex.mail.backends.SMTPBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("SOLEX_EMAIL_PORT", 25),
                "username": os.environ.get("SOLEX_EMAIL_USER", ""),
                "password": os.environ.get("SOLEX_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("SOLEX_EMAIL_USE_TLS"),
                "timeout": 30,
            },
        }
    }
else:
    # No SMTP server configured: print mail to the console (the demo's default).
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("SOLEX_FROM_EMAIL", "Solex <solex@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The domain of Solex's own addresses: replies (reply+TOKEN@), community lists
# (SLUG@, SLUG-unsubscribe@, ...) and bounces. Its MX must point at `solex mail-server`.
SOLEX_MAIL_DOMAIN = os.environ.get("SOLEX_MAIL_DOMAIN", "lists.localhost")
# Outbound mail (docs/email-out.md): copies per send task, tries before a copy fails,
# hard bounces before delivery to an address stops, and the grouping delay: a
# notification is emailed only if still unread this many minutes after its last event.
SOLEX_MAIL_BATCH_SIZE = env_int("SOLEX_MAIL_BATCH_SIZE", 200)
SOLEX_MAIL_MAX_ATTEMPTS = env_int("SOLEX_MAIL_MAX_ATTEMPTS", 6)
SOLEX_MAIL_BOUNCE_LIMIT = env_int("SOLEX_MAIL_BOUNCE_LIMIT", 3)
SOLEX_MAIL_GROUPING_MINUTES = env_int("SOLEX_MAIL_GROUPING_MINUTES", 5)
# Called with the person when bounces stop email to their address (they see why).
SOLEX_MAIL_STOPPED_HANDLER = "solex.digests.delivery.tell_delivery_stopped"
# Optional DKIM signing: a PEM private key file, its selector, and the signing domain
# (default SOLEX_MAIL_DOMAIN). Publish the public key at SELECTOR._domainkey.DOMAIN.
SOLEX_DKIM_KEY_FILE = os.environ.get("SOLEX_DKIM_KEY_FILE", "")
SOLEX_DKIM_SELECTOR = os.environ.get("SOLEX_DKIM_SELECTOR", "solex")
SOLEX_DKIM_DOMAIN = os.environ.get("SOLEX_DKIM_DOMAIN", "")
# Inbound mail (docs/email-in.md): the servers whose Authentication-Results header is
# believed (comma-separated authserv-ids, e.g. mx.example.org), posts by email per
# sender per hour, and size limits.
SOLEX_MAIL_TRUSTED_AUTHSERV_IDS = [
    name.strip()
    for name in os.environ.get("SOLEX_MAIL_TRUSTED_AUTHSERV_IDS", "").split(",")
    if name.strip()
]
SOLEX_MAIL_POSTS_PER_HOUR = env_int("SOLEX_MAIL_POSTS_PER_HOUR", 20)
SOLEX_MAIL_MAX_MESSAGE_BYTES = env_int("SOLEX_MAIL_MAX_MESSAGE_BYTES", 50 * 1024 * 1024)
SOLEX_MAIL_MAX_ATTACHMENT_BYTES = env_int("SOLEX_MAIL_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)

# --- Security ------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send the token with its requests
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Reverse proxies (IP addresses or networks, comma-separated) whose X-Forwarded-For
# header names the client, for rate limits per address (solex.core.clients); from
# any other peer the header is ignored, since anyone can send it.
SOLEX_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("SOLEX_TRUSTED_PROXIES", "").split(",") if p.strip()
]
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SOLEX_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SOLEX_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SOLEX_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

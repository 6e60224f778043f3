"""Django settings for pbxcrm, read from the environment (docs/configuration.md).

Nothing is required: with no environment the portal keeps everything in the
data folder (SQLite database, Celery broker, generated secret key).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from pbxcrm.datadir import prepare_data_dir
from pbxcrm.env import envbool, envfloat, envint, envlist, envsecret, envstr
from pbxcrm.secretkey import load_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("PBXCRM_DATA_DIR", str(BASE_DIR / "data"))).resolve()
# The SQLite files are made 0600 before SQLite or SQLAlchemy first opens them.
_DEFAULT_DATABASE = DATA_DIR / "db.sqlite3"
_DATA_FILES = ("celery-broker.sqlite", "celery-results.sqlite")
prepare_data_dir(
    DATA_DIR,
    _DATA_FILES + (("db.sqlite3",) if not envstr("DATABASE_URL") else ()),
)

SECRET_KEY = envsecret("SECRET_KEY") or load_or_create_secret_key(DATA_DIR / "secret_key")
# Fernet keys for secrets at rest (pbxcrm/encryption.py); unset: <data>/secrets_key.
SECRETS_KEY = envsecret("PBXCRM_SECRETS_KEY")
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "pbxcrm.pbx",
    "templates_app",
    "integrations",
    "agent",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app folders, compressed and cached, before any other work.
    "pbxcrm.static.StaticFilesMiddleware",
    "pbxcrm.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every page needs a signed-in admin unless its view says @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "pbxcrm.security.StaffOnlyMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in before any view runs.
    "axes.middleware.AxesMiddleware",
]

# Failed sign-ins are throttled per account and per address (django-axes): after
# AXES_FAILURE_LIMIT failures in a row, that username, and that address, are refused
# for the cool-off time even with the right password. A success resets the count.
# `python manage.py axes_reset` (or axes_reset_username NAME / axes_reset_ip ADDRESS)
# lifts a lockout at once (docs/configuration.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "pbxcrm.urls"
WSGI_APPLICATION = "pbxcrm.wsgi.application"
ASGI_APPLICATION = "pbxcrm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{_DEFAULT_DATABASE}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server's threads and every worker process write to one file
    # (docs/configuration.md, "SQLite"). WAL lets readers go on while one writes; a write
    # transaction takes the lock when it begins (IMMEDIATE), so it waits its turn up to
    # the busy timeout instead of failing with "database is locked" when it upgrades a
    # read lock that another writer has overtaken; NORMAL sync is safe under WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=envint("SQLITE_BUSY_TIMEOUT", 20),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters go to the server beside the query rather than quoted into it, and a
    # statement run DATABASE_PREPARE_THRESHOLD times on a connection is prepared once.
    # A call runs the same few dozen statements: quoting their long values (an event's
    # JSON, a journal's exchanges) was a tenth of the worker's CPU, and parsing and
    # planning each anew a large part of the server's. 0 turns both off, for a pooler
    # that cannot carry prepared statements (docs/configuration.md).
    _prepare = envint("DATABASE_PREPARE_THRESHOLD", 5)
    if _prepare > 0:
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=_prepare)

# A Celery worker keeps its database connections between tasks this long (seconds)
# rather than opening one per task (pbxcrm/celery.py).
WORKER_CONN_MAX_AGE = envint("WORKER_CONN_MAX_AGE", 300)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "integrations:crm"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
# The PBX's time zone: call times and "updated" columns are shown in it.
TIME_ZONE = envstr("TIME_ZONE", "UTC")
# The PBX's country: numbers without a country code are read as this country's.
PBX_DEFAULT_COUNTRY = envstr("PBX_DEFAULT_COUNTRY", "US").upper()
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# The portal runs on a PBX's LAN with no front web server: WhiteNoise serves /static/
# from the app folders (no collectstatic step), with far-future caching off since the
# file names carry no hash.
STATIC_ROOT.mkdir(mode=0o700, exist_ok=True)  # WhiteNoise reads it (collectstatic's output) when present
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

# The guide: template files "should be less than 1 MB"; Django keeps uploads up to
# this size in memory and streams bigger ones to disk (the view refuses them by size).
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# What one Go-template render or parse may do (templates_app/gotemplate/limits.py): a
# worker renders every {{ }} of a template on every call, so an admin's mistake (nested
# ranges, a recursive define) must end as a clear error, not a stuck worker.
RENDER_LIMITS = {
    "max_output": envint("PBXCRM_RENDER_MAX_OUTPUT", 1_048_576),
    "max_steps": envint("PBXCRM_RENDER_MAX_STEPS", 200_000),
    "max_seconds": envfloat("PBXCRM_RENDER_MAX_SECONDS", 2.0),
    "max_parse_tokens": envint("PBXCRM_PARSE_MAX_TOKENS", 100_000),
}

# Security headers. HTTPS-only cookies are opt-in because a PBX portal is often
# reached over plain HTTP on the LAN.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_HTTPS_PROXY", False) else None
)
# Scripts only from our own static files (htmx is vendored); no inline script, no eval.
CONTENT_SECURITY_POLICY = envstr(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
)

# Celery: Redis when REDIS_URL is set, otherwise an embedded broker in the data
# folder (kombu's SQLAlchemy transport on SQLite) so a fresh clone needs no server.
REDIS_URL = envstr("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{DATA_DIR / 'celery-broker.sqlite'}"
CELERY_RESULT_BACKEND = REDIS_URL or f"db+sqlite:///{DATA_DIR / 'celery-results.sqlite'}"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The queue this portal's web server sends to and its workers take from: set a name of
# its own when several portals share one Redis.
CELERY_TASK_DEFAULT_QUEUE = envstr("PBXCRM_QUEUE", "pbxcrm")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A worker takes call events before journals: a popup is wanted within milliseconds,
# while a journal waits safely in the outbox (0 is Redis's first priority, 9 its last).
CELERY_TASK_ROUTES = {"integrations.tasks.send_journal": {"priority": 9},
                      "integrations.tasks.send_journals": {"priority": 9}}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    # Bearer tokens every TokenRefreshInterval minutes (blank: 25), OAuth2 before expiry:
    # the task asks each active integration whether its token is due.
    "refresh-crm-tokens": {"task": "integrations.tasks.refresh_tokens", "schedule": 60.0},
}

# How long a CRM may take to answer one request before it counts as unavailable.
CRM_TIMEOUT_SECONDS = envfloat("CRM_TIMEOUT_SECONDS", 20.0)
# Calls (docs/calls.md). The address the CRM reaches the portal at, for RecordPath links.
PUBLIC_URL = envstr("PBXCRM_PUBLIC_URL", "http://127.0.0.1:8000")
RECORDINGS_DIR = Path(envstr("RECORDINGS_DIR", str(DATA_DIR / "recordings")))
RECORDING_LINK_SECONDS = envint("RECORDING_LINK_SECONDS", 7 * 24 * 3600)
# The journal outbox: a failed send is tried again after JOURNAL_RETRY_SECONDS × 2^n
# (at most JOURNAL_RETRY_MAX_SECONDS, with jitter, never sooner than a Retry-After),
# JOURNAL_MAX_ATTEMPTS times in all; a 30012 waits JOURNAL_SETTLE_SECONDS for the last
# 30011 events of its call; a send taken by a worker that died is taken back after
# JOURNAL_VISIBILITY_SECONDS by the sweeper, which runs every JOURNAL_SWEEP_SECONDS.
JOURNAL_RETRY_SECONDS = envfloat("JOURNAL_RETRY_SECONDS", 10.0)
JOURNAL_RETRY_MAX_SECONDS = envfloat("JOURNAL_RETRY_MAX_SECONDS", 3600.0)
JOURNAL_MAX_ATTEMPTS = envint("JOURNAL_MAX_ATTEMPTS", 20)
JOURNAL_SETTLE_SECONDS = envfloat("JOURNAL_SETTLE_SECONDS", 1.0)
JOURNAL_VISIBILITY_SECONDS = envfloat("JOURNAL_VISIBILITY_SECONDS", 120.0)
JOURNAL_SWEEP_SECONDS = envfloat("JOURNAL_SWEEP_SECONDS", 15.0)
# A contact synced into the phonebook answers calls without asking the CRM (Always
# Query CRM off) for this long; then the CRM is asked again and the entry updated.
SYNCED_CONTACT_MAX_AGE = envint("SYNCED_CONTACT_MAX_AGE", 24 * 3600)
# The active integration, its features and the extensions, as the call pipeline reads
# them: read again at most this often per worker process.
PIPELINE_CONTEXT_SECONDS = envfloat("PIPELINE_CONTEXT_SECONDS", 2.0)
# How long the intake gathers events into one task while the workers are behind
# (pbxcrm/pbx/dispatch.py); 0: never.
DISPATCH_LINGER_SECONDS = envfloat("DISPATCH_LINGER_SECONDS", 0.05)
# How long the intake gathers call records (30012) into one task: nobody waits for
# them, and a task costs a worker about a millisecond whatever it carries.
DISPATCH_RECORDS_SECONDS = envfloat("DISPATCH_RECORDS_SECONDS", 0.25)
# A call's lookup claimed this long ago and still running belonged to a worker that
# died: another worker makes it again.
LOOKUP_STALE_SECONDS = envfloat("LOOKUP_STALE_SECONDS", 60.0)
# The agent pages' live streams: popups reach them through Redis publish/subscribe,
# or, with no Redis, by reading the database every LIVE_POLL_SECONDS.
LIVE_CHANNEL_PREFIX = f"pbxcrm:{CELERY_TASK_DEFAULT_QUEUE}:agent:"
LIVE_POLL_SECONDS = envfloat("LIVE_POLL_SECONDS", 0.5)
LIVE_KEEPALIVE_SECONDS = envfloat("LIVE_KEEPALIVE_SECONDS", 15.0)
CELERY_BEAT_SCHEDULE["sweep-journals"] = {
    "task": "integrations.tasks.sweep_journals", "schedule": JOURNAL_SWEEP_SECONDS,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # httpx logs full request URLs at INFO; a template may put an API key in one.
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}

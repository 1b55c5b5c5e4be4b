"""Settings shared by every environment.

Everything that differs between machines comes from environment variables,
parsed with types by django-environ; a malformed value fails at start-up.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "actors",
    "regions",
    "documents",
    "duties",
    "appointments",
    "meetings",
    "reports",
    "ledger",
    "security",
    "home",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every answer, 405s and static files included.
    "core.middleware.PermissionsPolicyMiddleware",
    # PUT, DELETE and the like: 405 before anything else runs.
    "security.middleware.AllowedMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Django's, plus: a form sent after the session expired returns to its page.
    "core.middleware.LoginRequiredMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.NavBadgeMiddleware",
    "security.middleware.RefusedAccessLogMiddleware",
    "security.middleware.SessionSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pnpm_prov.urls"
WSGI_APPLICATION = "pnpm_prov.wsgi.application"

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
                "django.template.context_processors.i18n",
                "home.context_processors.navigation",
            ],
        },
    },
]

# SQLite under var/ is the zero-setup default for a first run; CI and
# production set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "actors.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out (username, IP) pair before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions (see security/ and docs/deploy.md). A session ends after
# SESSION_IDLE_TIMEOUT seconds without a request (security.middleware) and at
# the latest SESSION_COOKIE_AGE after login; "log out everywhere" ends the others.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "security.views.csrf_failure"

# Login throttling (django-axes): a (username, IP) pair is locked after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME. Locking the pair, not the
# IP, keeps one person's typos (or an attacker) from locking out a whole office
# behind one NAT address; the IP is read exactly as the audit trail reads it
# (core.middleware.request_client_ip: X-Forwarded-For is never trusted).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.middleware.request_client_ip"
AXES_LOCKOUT_CALLABLE = "security.views.lockout"
AXES_VERBOSE = False
# Reverse proxies whose X-Real-IP header is believed (REMOTE_ADDR must be one
# of these); empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Content Security Policy (django-csp 4.x format). No inline scripts or styles
# anywhere: templates use static/css/app.css and static/js/ only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Second factor (TOTP, django-otp) for the kinds an admin marks in
# security.TwoFactorPolicy; the issuer is shown in the authenticator app.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="PNPM-MP Provinsi")
# The admin never shows a device's secret or QR code (an administrator could
# clone someone's second factor); its config/qrcode pages also crashed (500)
# for a device id that does not exist.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# guardian: no anonymous user row; permissions are only ever granted to groups.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files live outside the web root and are only served through
    # views that check permissions.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("MEDIA_ROOT", default=VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# DejaVuSans.ttf and DejaVuSans-Bold.ttf, embedded in the PDFs (Debian: fonts-dejavu-core).
PDF_FONT_DIR = env.path("PDF_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds the SMTP connection waits for the mail server at each step (connect,
# each command). Without it a server that accepts and never answers holds the
# worker for good (issue 19, finding 3).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PNPM-MP Provinsi <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails, and the verification address in every issued PDF's QR code.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Issued documents (documents/): signed with the province's certificate, the
# PKCS#12 file <province code>.p12 in DOCUMENT_SIGNING_DIR (`make demo` puts a
# demo CA's there), opened with DOCUMENT_SIGNING_PASSWORDS["<code>"] or else
# DOCUMENT_SIGNING_PASSWORD. A province without one gets unsigned documents
# (smoke_check says so). docs/deploy.md: certificates from the official CA.
DOCUMENT_SIGNING_DIR = env.path("DOCUMENT_SIGNING_DIR", default=VAR_DIR / "signing")
DOCUMENT_SIGNING_PASSWORD = env.str("DOCUMENT_SIGNING_PASSWORD", default="")
DOCUMENT_SIGNING_PASSWORDS = env.dict("DOCUMENT_SIGNING_PASSWORDS", default={})
# The public verification page (/verifikasi/): lookups per client address per minute.
VERIFICATION_RATE_PER_MINUTE = env.int("VERIFICATION_RATE_PER_MINUTE", default=20)
# The largest PDF the verification page hashes (never stores), in bytes.
VERIFICATION_MAX_UPLOAD = 25 * 1024 * 1024

# The official region tree (regions/): `load_regions` keeps the pinned data
# package (idn-area-data, regions/edition.py) here after downloading it once.
REGIONS_DATA_DIR = env.path("REGIONS_DATA_DIR", default=VAR_DIR / "regions")

# The duty ledger (ledger/): the first quarter a deployment keeps it, e.g.
# 2027-Q1. The reconcile reminds and flags overdue accounts from that quarter
# on, never an earlier one. Empty: every quarter.
LEDGER_FIRST_QUARTER = env.str("LEDGER_FIRST_QUARTER", default="")

# Celery. With REDIS_URL unset the broker is kombu's filesystem transport under
# var/, so a first run needs no server. Results are never used.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # max_retries=0: while Redis is down a web request that queues a task
    # fails fast (the outbox and the reconcile recover) instead of hanging ~6 s.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "max_retries": 0,
        # A Redis that is gone or hangs is noticed in seconds, not never: connect
        # and command timeouts, TCP keepalive, and kombu's check of its idle
        # connections (25 s, its default, said here so nobody sets it to 0).
        # socket_timeout stays above the BRPOP wait (1 s).
        "socket_connect_timeout": 5,
        "socket_timeout": 10,
        "socket_keepalive": True,
        "health_check_interval": 25,
    }
else:
    # "localhost" only keeps kombu from warning that no host was given.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
# The cache keeps only short-lived conveniences (the navigation's badges, see
# core/attention.py); losing it loses nothing. Redis when REDIS_URL is set, so
# that every gunicorn worker sees the same entries; else per-process memory.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pnpm-prov",
            # A cache that does not answer must not hold a page up.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long the navigation's badges are kept per person; 0 counts them on every page.
NAV_BADGE_SECONDS = env.int("NAV_BADGE_SECONDS", default=30)
# What the badges count: the top layer draws on every app (core.attention).
NAV_BADGES = "home.badges.BADGES"
# What a report version whose type has a ledger section ("buku-tugas") freezes
# at submission beside what reports know: callables taking the report and
# returning keys for the snapshot (the layer above reports provides them).
REPORT_SNAPSHOT_EXTRAS = ["ledger.snapshot.tk_ledger"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that lost Redis reconnects for as long as Redis is away (Celery's
# default gives up after 100 attempts, about 45 minutes, and the worker exits).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# One beat, ticking idempotent reconcile tasks: the database decides what is
# missing, so a missed or doubled tick does no harm.
CELERY_BEAT_SCHEDULE = {
    "run-schedule-hourly": {
        "task": "home.tasks.run_schedule_task",
        "schedule": crontab(minute=5),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# LOG_FORMAT=json (production's default) writes one JSON object per line, with
# the fields passed as `extra` (security events: who, when, what, from where).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise environ.ImproperlyConfigured(f"LOG_FORMAT must be 'plain' or 'json', not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Demo data (manage.py seed_demo) refuses to run with DEBUG off unless forced.
DEMO_PASSWORD = "demo12345"

# Appointments: remind the approver (the Gubernur's office) of proposals
# waiting more than this many working days.
APPOINTMENT_REMINDER_WORKING_DAYS = env.int("APPOINTMENT_REMINDER_WORKING_DAYS", default=5)

# Reports returned for revision: remind the writer this many working days
# after the return, and the writer's supervisor as many working days later.
REPORT_RETURN_REMINDER_WORKING_DAYS = env.int("REPORT_RETURN_REMINDER_WORKING_DAYS", default=3)

# Meeting series edited in the app: a new day rule, time, place or invitees
# applies to the plain scheduled meetings starting at least this many days
# from today (in the province); the ones inside the window keep their schedule.
MEETING_SERIES_NOTICE_DAYS = env.int("MEETING_SERIES_NOTICE_DAYS", default=7)


# The REST API (/api/v1/, api/): personal access tokens (Bearer) or the
# browser's session (with CSRF); the one permission engine; cursor pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_RATE", default="600/hour")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PNPM-MP Provinsi API",
    "DESCRIPTION": "Read the provincial actors' duties, tasks, meetings and reports; docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The attendance status's enum (hadir/izin/tidak-hadir) appears under
    # one name wherever it is used.
    "ENUM_NAME_OVERRIDES": {"AttendanceStatusEnum": "meetings.models.Attendance.Status"},
}

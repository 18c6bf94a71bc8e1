"""SI KPMI settings. Every deployment-specific value comes from the environment (see README)."""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import Env, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")
env = Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only reachable with DEBUG on: a fixed key keeps sessions across `make run` restarts.
    SECRET_KEY = "dev-only-insecure-key-for-make-run-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the news site's sitemap template
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "axes",
    "csp",
    "rest_framework",  # the buyers' API (citizen_journalism.api)
    "drf_spectacular",
    "kpmi_si.audit",
    "kpmi_si.notifications",
    "kpmi_si.outbox",
    "kpmi_si.idempotency",
    "kpmi_si.demo",
    "kpmi_si.accounts",
    "kpmi_si.privacy",
    "kpmi_si.money",
    "kpmi_si.layout",
    "members",
    "associations",
    "programs",
    "awards",
    "entrepreneurship",
    "citizen_journalism",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, its user read with the session in one statement (kpmi_si/accounts/sessions.py).
    "kpmi_si.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kpmi_si.middleware.CSPMiddleware",  # django-csp's, its header built once
    "kpmi_si.middleware.SecurityHeadersMiddleware",
    "kpmi_si.middleware.DatabaseBusyMiddleware",
    # Last, as axes asks: it turns a refused login into the lockout page (which those above still see).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kpmi_si.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader, which also keeps what constant {% translate %}, {% url %} and
            # {% static %} tags write (kpmi_si/templating.py); in DEBUG it reloads changed templates as
            # Django's does.
            "loaders": [
                (
                    "kpmi_si.templating.Loader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "members.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "kpmi_si.wsgi.application"

# SQLite by default so `make run` needs no database server; production sets DATABASE_URL=postgres://...
# PostgreSQL connections come from a pool per process (DB_POOL_* variables, see README and kpmi_si/env.py).
DATABASES = {"default": env.database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
# axes first: it refuses a locked-out username+address before the password is even checked.
# Then ModelBackend loading the session's user with its roles in one query (kpmi_si.accounts.backends);
# Django's own only for sessions logged in before that backend existed (remove it once they expired).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kpmi_si.accounts.backends.UserBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "directory:kpmi_list"

# Login throttling (django-axes): this many wrong passwords for one username from one address lock
# that pair for the cool-off; every further try while locked starts the cool-off again. The pair,
# not the address alone: many members share one school or village network. The KOMTIK admin lifts
# a lock in the admin (Access attempts), audited (kpmi_si.accounts).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "kpmi_si.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "kpmi_si.accounts.throttle.client_ip"
AXES_USERNAME_CALLABLE = "kpmi_si.accounts.throttle.login_username"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
# Successful logins are not kept: the failures are what the lock needs, and a login history of every
# member would be personal data nobody asked for.
AXES_DISABLE_ACCESS_LOG = True
# Password-reset mail: at most this many per address and per client address in the window (seconds),
# counted in the cache (Redis in production; in-process without REDIS_URL).
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", 10)
PASSWORD_RESET_LIMIT_WINDOW = 60 * 60
# Wrong account-invitation codes per client address before the redemption page refuses for a while.
INVITATION_REDEEM_FAILURE_LIMIT = env.int("INVITATION_REDEEM_FAILURE_LIMIT", 10)
INVITATION_REDEEM_WINDOW = 15 * 60

# Indonesian first; English is the second language and also the source language of msgids.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "kpmi_si.static_storage.StaticFilesStorage"  # WhiteNoise's, each URL worked out once
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env.str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env.int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "SI KPMI <noreply@komtik-garut.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in e-mails point: notifications are also sent by background jobs, which have no request
# to take the host from. By default the development server, or the first allowed host over HTTPS.
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0]}")
SITE_URL = SITE_URL.rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with http:// or https://.")

# Celery: a broker only when REDIS_URL is given; otherwise tasks run in-process (make run, tests).
REDIS_URL = env.redis_url("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is redelivered; tasks are safe to run twice
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedule, in one place. django-celery-beat copies it into its tables at start, where the
# admin can change the time (Periodic tasks) without a deploy.
CELERY_BEAT_SCHEDULE = {
    "evaluate-open-periods-nightly": {
        "task": "associations.tasks.evaluate_open_periods",
        "schedule": crontab(hour=1, minute=30),
    },
    # Numbers a change moved (associations.refresh): recomputed subject by subject, at most twice a
    # minute however many changes came in between.
    "refresh-stale-results": {
        "task": "associations.tasks.refresh_stale_results_task",
        "schedule": 30.0,
    },
    # Jobs whose send failed while the broker was away (kpmi_si.outbox) go out at the next minute.
    "send-waiting-jobs": {
        "task": "kpmi_si.outbox.tasks.outbox_flush_task",
        "schedule": 60.0,
    },
    # Create forms' keys (kpmi_si.idempotency) are kept 30 days; older ones go once a day.
    # Articles an editor approved for later (citizen_journalism) go out within a minute of their time.
    "publish-due-articles": {
        "task": "citizen_journalism.tasks.publish_due_articles",
        "schedule": 60.0,
    },
    "prune-idempotency-keys-daily": {
        "task": "kpmi_si.idempotency.tasks.prune_idempotency_keys",
        "schedule": crontab(hour=3, minute=15),
    },
    # Sessions past their expiry (kpmi_si.accounts.sessions), as Django's clearsessions would.
    "clear-expired-sessions-daily": {
        "task": "kpmi_si.accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=45),
    },
    # Pioneers' businesses: last month settled into the KPMI ledgers, early on the 1st (safe to rerun).
    "settle-businesses-monthly": {
        "task": "entrepreneurship.services.businesses.settle_businesses_task",
        "schedule": crontab(day_of_month=1, hour=2, minute=30),
    },
}
# While the broker is down a request that queues a job must answer quickly (the job waits in the
# outbox): refuse after a short connect timeout and one quick retry instead of Celery's longer defaults.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

if REDIS_URL:
    # A Redis outage degrades the cache to an empty one instead of failing pages (kpmi_si/cache.py);
    # short timeouts, so that a Redis that hangs costs a request a second, not a minute.
    CACHES = {
        "default": {
            "BACKEND": "kpmi_si.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

# Security: strict when DEBUG is off so that `manage.py check --deploy` is clean in production.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "kpmi_si.views.csrf_failure"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True  # only the server reads it (set_language); no script needs it
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp), the same with DEBUG on and off, so that development and the
# browser tests see what production does. Scripts and styles come only from our static files: no
# inline <script>, <style>, style="" or on*="" in templates (a test checks); chart data travels as
# json_script (type application/json, never executed). data: images are Bootstrap's own CSS icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Features no page uses, switched off for the site and anything it might ever embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Django's database sessions in the site's own table (accounts.Session: with the user's id), read with a
# statement compiled once per process, on PostgreSQL with the user and its roles (kpmi_si/accounts/sessions.py).
SESSION_ENGINE = "kpmi_si.accounts.sessions"

# Pagination sizes small enough for a cheap phone on a slow connection.
PAGE_SIZE = 25

# Logged work (programs): a record stays editable this many days after its date (KOMTIK admin
# always may); target periods that can be closed will plug into programs.periods.
WORK_EDIT_WINDOW_DAYS = env.int("WORK_EDIT_WINDOW_DAYS", 60)
# Evidence photos and PDFs: the largest upload accepted, and the STORAGES alias that keeps them.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
# The most pixels an evidence photo may have, read from its header before decoding: a phone's 50 MP
# camera mode aside, 40 MP is more than any photo proves, and decoding one takes ~160 MB at most.
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", 40_000_000)
EVIDENCE_STORAGE = env.str("EVIDENCE_STORAGE", "default")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
}

# The buyers' API (citizen_journalism.api): read-only JSON for buyers with a token. No session or
# basic authentication (a browser's login cookie never reaches the API, so it needs no CSRF), JSON
# only, and throttled per token in the project cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["citizen_journalism.api.authentication.BuyerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["citizen_journalism.api.throttling.BuyerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"buyers_api": env.str("BUYERS_API_RATE", "120/min")},
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Garut Citizen Journalism — buyers' API",
    "DESCRIPTION": "The articles a buyer licensed or bought outright, read-only. "
    "Authenticate with `Authorization: Token <key>`; the key is issued by the Entrepreneurs association.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

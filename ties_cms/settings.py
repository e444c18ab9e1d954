"""Settings for Ties CMS, read from the environment (see README)."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A 503 with Retry-After for reads the database refuses (it is restarting); cached pages are still served.
    "articles.middleware.DatabaseUnavailableMiddleware",
    # An ETag from the body (and a 304) for what articles/caching.py does not answer from its number.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ties_cms.urls"

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

WSGI_APPLICATION = "ties_cms.wsgi.application"

# An unset or empty DATABASE_URL means the embedded default: an SQLite file in the project root.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        # Off by default, as in Django: a check is one more round trip on every request, as many as a cached
        # page costs otherwise. Without it, after the database restarts, each app process fails one request.
        conn_health_checks=os.environ.get("DJANGO_CONN_HEALTH_CHECKS", "0").strip() == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers keep going while an import writes; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TAGGIT_CASE_INSENSITIVE = True

# --- Caching (articles/caching.py; README "Production") ------------------------------------------------
# Local memory by default, private to each process; REDIS_URL (redis://host:6379/0) shares one cache between
# app servers. DRF's throttling counts in the default cache too. Cached things are keyed by a number that
# every write moves on (so they need no expiry to stay right); the timeouts only bound their memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ties",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ties",
            # Pages are about 20 KB: this many keeps a process within some tens of megabytes.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
# Seconds a 503 asks clients to wait while the database is unreachable (articles/middleware.py).
DATABASE_RETRY_AFTER = env_int("DJANGO_DATABASE_RETRY_AFTER", 5)
# Whole pages, feeds and API answers for anonymous readers; off by default while developing templates.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "0" if DEBUG else "3600"))
# What lists compute over the whole archive: row counts, the most covered entries, entries by slug.
QUERY_CACHE_SECONDS = int(os.environ.get("DJANGO_QUERY_CACHE_SECONDS", "3600"))

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- The API (articles/api/; README "API") -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous write is told to authenticate (401) rather than refused (403).
        # DRF's TokenAuthentication with failed tokens throttled per address (articles/api/authentication.py).
        "articles.api.authentication.GuardedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.PageNumber",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_ANON_RATE", "60/minute"),
        # Wrong or malformed tokens an address may send before every token from it is a 429 for the window.
        "failed_token": os.environ.get("DJANGO_API_FAILED_TOKEN_RATE", "10/minute"),
    },
    # Clients are told apart by address; behind N reverse proxies, the Nth-from-last X-Forwarded-For entry.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ties CMS API",
    "DESCRIPTION": "Stories about a country's bilateral ties, and the countries, officials and agreements "
    "they are tagged with. Anyone may read what is published; editors write with a token or a session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    # Say in the schema that required text may not be blank (the API refuses it).
    "ENFORCE_NON_BLANK_FIELDS": True,
    # One name per choice set: an agreement's kind, an event's kind (which is also an agreement's status), a
    # story's status.
    "ENUM_NAME_OVERRIDES": {
        "AgreementKindEnum": "articles.models.AgreementKind",
        "EventKindEnum": "articles.models.EventKind",
        "StoryStatusEnum": "articles.models.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.allow_empty_query_parameters",
        "articles.api.schema.public_reads_without_lock",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Guarded logins (README "Production") ------------------------------------------------------------------
# django-axes counts failed admin logins in the database: after AXES_FAILURE_LIMIT of them from one address, or
# against one account, that address or account gets a 429 for the cool-off, the right password included.
# `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS` / `axes_reset` unlock early.
INSTALLED_APPS += ["axes"]
# Last, as axes asks: it turns the lockout its backend raises into the 429 page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
# Each alone: an address guessing many accounts, and an account guessed from many addresses.
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# A right password forgets that account's and address's earlier mistakes.
AXES_RESET_ON_SUCCESS = True
# The API throttles' rule for who the client is (DJANGO_NUM_PROXIES), so that both see the same guesser.
AXES_CLIENT_IP_CALLABLE = "articles.clients.client_address"

# --- Production profile: HTTPS behind a proxy (README "Production") ---------------------------------------
# All off by default, so that a plain-HTTP test or development server works; production turns them on from the
# environment. README "Production" lists the set with which `manage.py check --deploy` reports nothing.
# HSTS: browsers refuse plain HTTP to this host for that many seconds once they have seen HTTPS. Start small.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
# Plain-HTTP requests are redirected to HTTPS by the app (a proxy may do it instead).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT")
# Behind a proxy that ends TLS: the header it sets to say the client spoke HTTPS, e.g. X-Forwarded-Proto. Only
# set it when the app is reachable through that proxy alone (gunicorn binds 127.0.0.1 by default), and the proxy
# overwrites the header: anyone who can reach the app directly could otherwise claim HTTPS.
_PROXY_SSL_HEADER = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER:
    if not _PROXY_SSL_HEADER.replace("-", "").isalnum():
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, "
            f"not {_PROXY_SSL_HEADER!r}."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# Origins (scheme and host) whose forms may post here, e.g. https://ties.example, when the browser's Origin is not
# the Host the app sees (a proxy that rewrites Host, or an admin on another name).
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"DJANGO_CSRF_TRUSTED_ORIGINS entries start with https://, not {_origin!r}.")

# --- Content-Security-Policy (django-csp; README "Production") ----------------------------------------------
# Scripts and styles from this site only: no inline script, no inline style, no other origin. The reader site has
# none (its pages are cached whole, so a per-request nonce could not live in them); the admin's scripts are files;
# the API docs load Swagger UI's files and its start script from the static files (drf-spectacular's sidecar and
# templates/drf_spectacular/). A template that must inline a script marks it nonce="{{ request.csp_nonce }}", and
# only then does the header carry a nonce.
INSTALLED_APPS += ["csp"]
MIDDLEWARE += ["csp.middleware.CSPMiddleware"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        # Swagger UI and the admin draw some icons from data: URLs.
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

"""Django settings, all from the environment (django-environ).

Embedded default: SQLite and Huey's SQLite queue under ``YIYANG_DATA_DIR`` (default ``var/``
beside the checkout), a field key generated there on first use. Production sets
``DATABASE_URL``, ``YIYANG_FIELD_KEY``, ``YIYANG_INDEX_KEY``, ``SECRET_KEY`` and ``REDIS_URL``.
"""

from __future__ import annotations

from pathlib import Path

import environ

from yiyang.core.keyfile import ensure_local_secrets

env = environ.Env()

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parents[1]
DATA_DIR = Path(env.str("YIYANG_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
TESTING = env.bool("YIYANG_TESTING", default=False)

# Demo personas log in only when the server runs in demo mode (`yiyang demo` / `make demo`).
# The test suite runs with the demo cast, so tests start in demo mode too.
DEMO_MODE = env.bool("YIYANG_DEMO_MODE", default=TESTING)

_local = ensure_local_secrets(DATA_DIR, persist=not TESTING)
SECRET_KEY = env.str("SECRET_KEY", default=_local["secret_key"])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

# Field encryption (SM4-GCM) and blind index (HMAC-SM3): "<key id>:<32 hex>".
FIELD_KEY = env.str("YIYANG_FIELD_KEY", default=_local["field_key"])
# Retired keys stay readable after rotation: comma-separated "<id>:<hex>".
FIELD_KEYS_OLD = env.list("YIYANG_FIELD_KEYS_OLD", default=[])
INDEX_KEY = env.str("YIYANG_INDEX_KEY", default=_local["index_key"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    "yiyang.core",
    "yiyang.regions",
    "yiyang.orgs",
    "yiyang.residents",
    "yiyang.assessments",
    "yiyang.medication",
    "yiyang.care",
    "yiyang.agreements",
    "yiyang.infection",
    "yiyang.community",
    "yiyang.compliance",
    "yiyang.interop",
    "yiyang.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yiyang.web.middleware.PageLoginRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yiyang.orgs.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
    "yiyang.web.middleware.DomainErrorPages",
]

ROOT_URLCONF = "yiyang.urls"
WSGI_APPLICATION = "yiyang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiyang.web.context.shell",
            ],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'yiyang.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=_default_db)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "yiyang.orgs.auth.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

# django-axes: lock a username+IP pair after 5 failures for one hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Uploaded files (residents' photos) live in the data dir and have no public URL: each is
# answered by a view that checks `visible_to` first (residents:photo_file).
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT = None if TESTING else DATA_DIR / "static"
# Serve straight from the app folders when collectstatic has not run (tests, first start).
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads it for the X-CSRFToken header
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REDIS_URL = env.str("REDIS_URL", default="")
if TESTING:
    HUEY = {"huey_class": "huey.MemoryHuey", "immediate": True, "name": "yiyang"}
elif REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "yiyang", "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "yiyang",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": False,
    }

# Progress of background work (imports) is read by the web server while the worker writes it
# inside a long transaction, so it lives outside the database: files under the data dir.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "progress"}
        if TESTING else
        {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
         "LOCATION": str(DATA_DIR / "progress"), "TIMEOUT": 24 * 3600}
    ),
}
# An uploaded workbook larger than this is refused before it is read.
IMPORT_MAX_BYTES = env.int("YIYANG_IMPORT_MAX_BYTES", default=60 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

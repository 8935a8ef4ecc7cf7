"""The one settings module: every knob comes from an XIAONENG_* environment variable.

Defaults are safe for a single machine: SQLite (WAL) and Huey's SQLite queue under
XIAONENG_DATA_DIR, DEBUG off, a secret key generated once and kept in the data dir.
Production sets XIAONENG_DATABASE_URL (PostgreSQL), XIAONENG_REDIS_URL and
XIAONENG_HTTPS=1 (secure cookies, HSTS, redirect to HTTPS).
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"XIAONENG_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(f"XIAONENG_{name}")
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"XIAONENG_{name}")
    return int(raw) if raw not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(f"XIAONENG_{name}")
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATA_DIR = Path(env_str("DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Take the key from the environment, else generate one once and keep it in the data dir."""
    given = env_str("SECRET_KEY")
    if given:
        return given
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _generated_once(file_name: str, make) -> str:
    """A development key generated once and kept in the data dir (set the variable in production)."""
    key_file = DATA_DIR / file_name
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return key_file.read_text().strip()


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# Personal data of cases (phone, ID number): Fernet keys, newest first, comma-separated; the
# older ones only decrypt until `xiaoneng manage rotate_pii_key` has re-encrypted every row.
PII_KEYS = env_list("PII_KEYS", []) or [_generated_once("pii_key", _fernet_key)]
# The key of the keyed hashes (tracking codes, phone look-ups). Keep it: codes cannot be re-hashed.
PII_HASH_KEY = env_str("PII_HASH_KEY") or _generated_once("pii_hash_key", lambda: secrets.token_urlsafe(32))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
HTTPS = env_bool("HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "xiaoneng.core",
    "xiaoneng.core.audit",
    "xiaoneng.core.jobs",
    "xiaoneng.core.security",
    "xiaoneng.core.workdays",
    "xiaoneng.core.notify",
    "xiaoneng.org",
    "xiaoneng.campaigns",
    "xiaoneng.publicity",
    "xiaoneng.publicity.bulletins",
    "xiaoneng.assessment",
    "xiaoneng.assessment.results",
    "xiaoneng.assessment.supervision",
    "xiaoneng.feedback",
    "xiaoneng.feedback.escalation",
    "xiaoneng.feedback.surveys",
]

MIDDLEWARE = [
    "xiaoneng.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xiaoneng.core.middleware.SecurityHeadersMiddleware",
    # Refuses oversized bodies with 413 before anything below reads them.
    "xiaoneng.core.limits.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xiaoneng.core.security.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xiaoneng.urls"
WSGI_APPLICATION = "xiaoneng.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "security:login"
LOGIN_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xiaoneng.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "xiaoneng.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # WAL lets readers and the one writer work side by side; IMMEDIATE takes the
                # write lock at BEGIN so two writers queue instead of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work (Huey) -----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")

# --- Cache: the rate-limit counters of the public forms must be shared by every web worker ---
# Redis when configured (several machines); otherwise files in the data dir, which every
# gunicorn worker on this machine shares (per-process memory would multiply each limit).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "xn"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(DATA_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 20_000}}}
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("HUEY_NAME", "xiaoneng"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("WORKER_THREADS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "xiaoneng",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("WORKER_THREADS", 2), "worker_type": "thread"},
    }
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 120)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 5)
WORKER_HEARTBEAT_STALE_SECONDS = env_int("WORKER_HEARTBEAT_STALE_SECONDS", 180)

# --- Files ----------------------------------------------------------------------------
# Uploaded files live outside any public path; they are served only by views that check
# permission (see core.files). MEDIA_URL is deliberately unset.
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(MEDIA_ROOT)}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20) * 1024 * 1024
# A request larger than this is refused with 413 before its body is read (core.limits).
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 1024 * 1024
# Office Open XML files are zips: checked before anything parses them (core.files.checks).
UPLOAD_ZIP_MAX_ENTRIES = env_int("UPLOAD_ZIP_MAX_ENTRIES", 2000)
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_ZIP_MAX_UNCOMPRESSED_MB", 200) * 1024 * 1024
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_NUMBER_FILES = 100
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Passwords and login (等保 profile) ------------------------------------------------
PASSWORD_EXPIRY_DAYS = env_int("PASSWORD_EXPIRY_DAYS", 90)  # 0 = never expires
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CLASSES = env_int("PASSWORD_MIN_CLASSES", 3)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 20)
LOGIN_IP_WINDOW_MINUTES = env_int("LOGIN_IP_WINDOW_MINUTES", 10)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)  # X-Forwarded-For is ignored unless > 0
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "xiaoneng.core.security.passwords.LengthAndClassesValidator"},
    {"NAME": "xiaoneng.core.security.passwords.CommonPasswordValidator"},
    {"NAME": "xiaoneng.core.security.passwords.ContextWordsValidator"},
]
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "xiaoneng")

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "xiaoneng.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{h}" for h in ALLOWED_HOSTS])
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Audit ----------------------------------------------------------------------------
AUDIT_RETENTION_DAYS = max(180, env_int("AUDIT_RETENTION_DAYS", 365))

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
WORKING_HOURS = (env_int("WORKING_HOURS_START", 8), env_int("WORKING_HOURS_END", 18))

# --- E-mail and SMS -------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "xiaoneng@localhost")
SMS_BACKEND = env_str("SMS_BACKEND", "xiaoneng.core.notify.sms.LoggingSmsBackend")
REMINDER_WORKING_DAYS_BEFORE = env_int("REMINDER_WORKING_DAYS_BEFORE", 2)

# --- Satisfaction surveys: ceilings per client address (0 = off) -------------------------
# Generous: a hospital's patients share one address; the per-browser token does the real work.
SURVEY_RESPONSES_PER_IP_HOUR = env_int("SURVEY_RESPONSES_PER_IP_HOUR", 600)
SURVEY_CODE_FAILURES_PER_IP_HOUR = env_int("SURVEY_CODE_FAILURES_PER_IP_HOUR", 20)
# Official-document fonts, JSON {"仿宋_GB2312": "仿宋"} or {"黑体": ["方正黑体_GBK", "SimHei"]};
# parsed and checked by xiaoneng.core.officialdoc.fonts (docs/officialdoc.md).
OFFICIAL_FONTS = env_str("OFFICIAL_FONTS", "")

# --- Logging: one line per record, with the request id for tracing a 500 ----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "xiaoneng.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

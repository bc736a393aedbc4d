"""JoinedUp settings, read from the environment (see docs/configuration.md)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# The demo switches on conveniences (skipping two-factor) that are refused unless DEBUG is on too.
JOINEDUP_DEMO = env_bool("JOINEDUP_DEMO") and DEBUG

# Without SECRET_KEY the app runs with a development key that `manage.py check --deploy` rejects.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-joinedup-development-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "joinedup.core",
    "joinedup.organisations",
    "joinedup.accounts",
    "joinedup.children",
    "joinedup.referrals",
    "joinedup.consent",
    "joinedup.panels",
    "joinedup.assessments",
    "joinedup.notifications",
    "joinedup.actions",
    "joinedup.safeguarding",
    "joinedup.plans",
    "joinedup.transfers",
    "joinedup.tracking",
    "joinedup.directory",
    "joinedup.funding",
    "joinedup.reviews",
    "joinedup.records",
    "joinedup.dashboards",
    "joinedup.partnerships",
    "joinedup.reports",
    "joinedup.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "joinedup.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "joinedup.core.middleware.AccessPolicyMiddleware",
    # Axes must come last so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "joinedup.urls"
WSGI_APPLICATION = "joinedup.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "joinedup" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "joinedup.core.context_processors.navigation",
                "joinedup.notifications.context_processors.unread_notifications",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite (WAL) needs no set-up; production sets DATABASE_URL to a PostgreSQL server.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "joinedup.sqlite3")),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; "
                    # 64 MB of page cache per connection (the default is 2 MB), so searches
                    # that read the directory's tables are served from memory.
                    "PRAGMA cache_size=-65536;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "core:start"
# An invitation or password-reset link stays valid for three days.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Behind HTTPS in production, SECURE_SSL=1 turns on secure cookies, the HTTPS redirect and HSTS;
# `manage.py check --deploy` warns while it is off.
SECURE_SSL = env_bool("SECURE_SSL")
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=SECURE_SSL)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# Lock an account out of one address after five wrong passwords in a row, for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Uses a minute allowed to each person (or API token, or address when not signed in); 0 turns a
# limit off (joinedup/core/rate_limits.py).
RATE_LIMITS = {
    "child-search": int(os.environ.get("RATE_LIMIT_CHILD_SEARCH", "30")),
    "directory-search": int(os.environ.get("RATE_LIMIT_DIRECTORY_SEARCH", "60")),
    "referral-api": int(os.environ.get("RATE_LIMIT_REFERRAL_API", "120")),
}
# Behind a reverse proxy every request comes from the proxy's address: the real one is the last
# in X-Forwarded-For, which the proxy must set.
BEHIND_PROXY = os.environ.get("BEHIND_PROXY", "") == "1"

OTP_TOTP_ISSUER = "JoinedUp"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "JoinedUp <no-reply@joinedup.invalid>")
# The address people reach JoinedUp at, for links in emails sent by commands (no request to
# take it from), such as https://joinedup.example.org
JOINEDUP_SITE_URL = os.environ.get("JOINEDUP_SITE_URL", "http://localhost:8000")
# Reminders (docs/reminders.md): a keyworker is reminded of a plan's review this many days
# before it is due, and a panel's coordinator of a referral that has waited this many days.
JOINEDUP_REVIEW_REMINDER_DAYS = int(os.environ.get("JOINEDUP_REVIEW_REMINDER_DAYS", "14"))
JOINEDUP_REFERRAL_WAITING_DAYS = int(os.environ.get("JOINEDUP_REFERRAL_WAITING_DAYS", "5"))
# Partnership reviews (docs/partnership-reviews.md): a figure drawn from fewer confidential
# answers than this is not shown. Two is the least allowed: with one, the answer is the figure.
JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS = int(
    os.environ.get("JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS", "3")
)
# Reports (docs/reports.md): a count from 1 to one less than this is shown as "fewer than N",
# and a figure worked out from fewer records than this is not shown. Two is the least allowed.
JOINEDUP_REPORT_SUPPRESSION_THRESHOLD = max(
    2, int(os.environ.get("JOINEDUP_REPORT_SUPPRESSION_THRESHOLD", "5"))
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# Staff pages are in English; the family-facing consent page is also in Somali, spoken widely
# in Easton (docs/consent.md). Django knows no Somali, so its language facts are added here.
LANGUAGES = [("en-gb", "English"), ("so", "Soomaali")]
LOCALE_PATHS = [BASE_DIR / "joinedup" / "locale"]
LANG_INFO.setdefault(
    "so", {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"}
)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "joinedup" / "static"]
# Signed consent forms: outside the web root, served only through a permission-checked view.
JOINEDUP_PRIVATE_STORAGE = Path(
    os.environ.get("JOINEDUP_PRIVATE_STORAGE", str(BASE_DIR / "var" / "private"))
)
# What someone raising a safeguarding concern is told to do when JoinedUp has no designated
# safeguarding lead to send it to: the local children's social care front door.
JOINEDUP_SAFEGUARDING_FRONT_DOOR = os.environ.get(
    "JOINEDUP_SAFEGUARDING_FRONT_DOOR",
    "Phone your local children's social care front door (the multi-agency safeguarding hub). "
    "Out of hours, phone the emergency duty team.",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every PDF at INFO: a panel pack would flood the log.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "joinedup.core.views.csrf_failure"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "joinedup.accounts.api_auth.OrganisationTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "joinedup.core.api.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JoinedUp API",
    "DESCRIPTION": (
        "Partner agencies' systems refer children to JoinedUp. Authenticate with the "
        "organisation's token: `Authorization: Token <key>`. Send an `Idempotency-Key` header "
        "with every POST so that a retried request never makes two referrals."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

"""Django settings for Knipa, read from environment variables with safe defaults.

See docs/configuration.md for every variable. Defaults suit one machine with the embedded SQLite
database; a region sets KNIPA_DATABASE_URL to PostgreSQL and KNIPA_SECRET_KEY for all processes.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from knipa.envconfig import (
    env_address,
    env_bool,
    env_int,
    env_list,
    env_str,
)
from knipa.envconfig import (
    data_dir as _data_dir,
)
from knipa.envconfig import (
    owner_only_file,
)
from knipa.envconfig import (
    secret_key as _secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = _data_dir()

SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = env_bool("KNIPA_DEBUG", False)
ALLOWED_HOSTS = env_list("KNIPA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("KNIPA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    # Sessions with their user in a column (knipa.sessions): an account's sessions go with it.
    "knipa.sessions",
    "django.contrib.messages",
    "knipa.storage.KnipaStaticFilesConfig",  # django.contrib.staticfiles without unused files
    "axes",
    # For /api/docs: with the app installed, Swagger UI is served from our own static files.
    "ninja",
    # Clinicians' second factor (issue 16): TOTP from an authenticator app, recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "knipa.accounts",
    # Clinician accounts (password + second factor) and their clinics, made by the host.
    "knipa.clinicians",
    "knipa.training",
    "knipa.reminders",
    "knipa.outcomes",
    "knipa.content",
    "knipa.today",
    "knipa.personal_data",
    # Sharing with a clinician: consents, codes, the access log and prescriptions (issue 16).
    "knipa.sharing",
    # The guide's pages (Markdown, knipa/guide/pages/); a host's own folder: GUIDE_DIR below.
    "knipa.guide",
    # The clinician's pages: the follow-up list, a person's page, the host's staff page.
    "knipa.clinic",
]

MIDDLEWARE = [
    # Outermost: a busy (locked) database is answered with a retry or a 503, never a 500.
    "knipa.middleware.BusyDatabaseMiddleware",
    # First: a page kept whole (headers and all) is sent again when nothing it shows has changed.
    "knipa.accounts.pagecache.KeptPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "knipa.middleware.SecureCookiesOverHttpsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their long caching), inside the kept pages (a kept page
    # carries the header): answers that may hold a person's data are never stored by a cache.
    "knipa.middleware.NoStoreOnPersonalAnswersMiddleware",
    # After WhiteNoise, which sends its own precompressed static files; before the kept pages'
    # point of return, so that a page is compressed once and kept compressed. Django's gzip pads
    # each compressed body with random bytes against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # A body larger than the request may carry gets a clear 413 before anything reads it.
    "knipa.middleware.BodyLimitMiddleware",
    # Then a null character in the path, query, our cookies or a body gets a clear 400 before
    # anything looks it up or stores it (PostgreSQL refuses it in text).
    "knipa.middleware.NullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a clinician's second factor.
    "django_otp.middleware.OTPMiddleware",
    # A request that may write makes the pages kept for the person out of date.
    "knipa.accounts.pagecache.ChangesMoveTheVersionMiddleware",
    # After authentication: a person's saved language follows them to a new device.
    "knipa.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled during login into our 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "knipa.urls"
WSGI_APPLICATION = "knipa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "knipa.context_processors.knipa",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("KNIPA_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("KNIPA_DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # Created owner-only before SQLite opens it; its -wal and -shm files take that mode.
            "NAME": owner_only_file(DATA_DIR / "knipa.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two processes
                # (web and worker) wait on the busy timeout instead of failing with "database is
                # locked" halfway through. WAL lets readers go on while one process writes.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": None},
            # Each server thread keeps its connection: opening one (and setting its pragmas) costs
            # more than most pages (bench/pages.py).
            "CONN_MAX_AGE": env_int("KNIPA_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Kept so that a hash made elsewhere still verifies (and is upgraded to Argon2 on login).
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules in Knipa's own words (knipa.accounts.password_rules).
    {"NAME": "knipa.accounts.password_rules.UserAttributeSimilarityValidator"},
    {"NAME": "knipa.accounts.password_rules.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "knipa.accounts.password_rules.CommonPasswordValidator"},
    {"NAME": "knipa.accounts.password_rules.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the username in any case: "Anna" and "anna" are one person.
    "knipa.accounts.backends.CaseInsensitiveModelBackend",
    # Still listed so that sessions begun under it stay logged in (a browser-only profile has no
    # other way back); the backend above decides every password, so this one never checks one.
    "django.contrib.auth.backends.ModelBackend",
]
# Rendered personal pages are kept in each process's memory (knipa.accounts.pagecache): correct with
# several processes, since every page's key holds the person's data version read from the database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 4},
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "today:home"
LOGOUT_REDIRECT_URL = "content:start"
# A password reset link (knipa.accounts.passwords) works for an hour, and once.
PASSWORD_RESET_TIMEOUT = int(timedelta(hours=1).total_seconds())

# Login throttling (django-axes): five wrong passwords for one username from one address lock
# that pair for 15 minutes. The state lives in the database, so it holds across app processes.
AXES_FAILURE_LIMIT = env_int("KNIPA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KNIPA_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Counted under the username in lower case, as logging in does not care about case.
AXES_USERNAME_CALLABLE = "knipa.accounts.backends.axes_username"
# The address is the client's own: REMOTE_ADDR, which Waitress takes from X-Forwarded-For only when
# the trusted proxy sent it (knipa/cli.py). Named here so that django-ipware, should it ever be
# installed, is not asked: it believes X-Forwarded-For from anyone. A stranger guessing from
# elsewhere thus never locks the person out from their own address.
AXES_CLIENT_IP_CALLABLE = "knipa.middleware.client_address"
# Guesses made while a pair is locked are refused without being counted: otherwise each one would
# restart the cool-off, and one guess every few minutes would keep the pair locked for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "knipa.accounts.views.login_locked_out"
# No personal data in logs: axes would otherwise log usernames and addresses on every attempt.
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_SENSITIVE_PARAMETERS = ["username", "password"]

# Throttles per client address (REMOTE_ADDR; knipa.accounts.throttle counts in the database, so
# every app process agrees). A refused request gets a translated 429 with Retry-After.
# Starting a profile without registering, per hour:
BEGIN_LIMIT_PER_HOUR = env_int("KNIPA_BEGIN_LIMIT_PER_HOUR", 30, minimum=1)
# Securing a profile with a username and password, per 15 minutes ("that username is taken" must
# not tell which usernames exist faster than logging in does):
USERNAME_CLAIM_LIMIT = env_int("KNIPA_USERNAME_CLAIM_LIMIT", 10, minimum=1)
# Data imports (each up to 5 MB), per hour:
IMPORT_LIMIT_PER_HOUR = env_int("KNIPA_IMPORT_LIMIT_PER_HOUR", 10, minimum=1)

# Retention (the worker's hourly pass, knipa.reminders.retention): a browser-only profile (no
# password) nobody has used for this many days is deleted; one nobody can open any more (its
# browser logged out or into another account, its session expired) goes at once.
ANONYMOUS_PROFILE_DAYS = env_int("KNIPA_ANONYMOUS_PROFILE_DAYS", 90, minimum=1)

# A profile started without registering lives in this browser's session cookie alone, so the
# cookie must last; the browser caps it at about 400 days anyway.
SESSION_COOKIE_AGE = int(timedelta(days=365).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "knipa_session"
SESSION_ENGINE = "knipa.sessions.store"
CSRF_COOKIE_NAME = "knipa_csrftoken"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "knipa.content.views.csrf_failure"

# --- HTTPS and the proxy in front -----------------------------------------------------------
# SecurityMiddleware sends HSTS only on requests that arrived over HTTPS, and our
# SecureCookiesOverHttpsMiddleware marks cookies Secure on those same requests, so one
# installation can be tried on http://127.0.0.1 and served on https:// without a setting change.
SECURE_HSTS_SECONDS = env_int("KNIPA_HSTS_SECONDS", 31536000, minimum=0)
# Subdomains and the browsers' preload list are promises about the whole domain (every name under
# it on HTTPS for a year; months to undo), which Knipa, usually one name on a clinic's or a
# region's domain, cannot make for its owner: they belong in the owner's proxy. So the two
# deployment checks that ask for them are silenced (docs/hosting.md, "HTTPS").
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a proxy, whether a request came over HTTPS, the host it asked for and the client's address
# are decided by Waitress (`knipa serve`, knipa/cli.py): it takes X-Forwarded-Proto, -Host, -Port
# and -For from TRUSTED_PROXY only, strips them from anyone else, and hands Django plain WSGI
# values (wsgi.url_scheme, HTTP_HOST, REMOTE_ADDR). Hence no SECURE_PROXY_SSL_HEADER: Django would
# believe that header from whoever sent it, and with it Waitress's own scheme would be ignored.
BEHIND_HTTPS_PROXY = env_bool("KNIPA_BEHIND_HTTPS_PROXY", False)
TRUSTED_PROXY = env_address("KNIPA_TRUSTED_PROXY", "127.0.0.1" if BEHIND_HTTPS_PROXY else "")
TRUSTED_PROXY_COUNT = env_int("KNIPA_TRUSTED_PROXY_COUNT", 1, minimum=1)
# Behind the HTTPS proxy every real request is HTTPS, so the cookies are Secure from the start.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = BEHIND_HTTPS_PROXY
SECURE_SSL_REDIRECT = env_bool("KNIPA_HTTPS_REDIRECT", False)
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "knipa_language"
LANGUAGE_COOKIE_AGE = int(timedelta(days=365).total_seconds())
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
DEFAULT_PERSON_TIME_ZONE = env_str("KNIPA_DEFAULT_TIME_ZONE", "Europe/Stockholm")

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Source maps (django-ninja's API docs) are read only by developer tools: not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Every page names static files by their hashed names ({% static %}), so the unhashed copies are
# never asked for: not keeping them halves what collectstatic compresses.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "knipa.storage.KnipaStaticFilesStorage"},
}

# Form posts are small; the largest legitimate request is a saved round (see knipa.training.api).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
API_MAX_BODY_BYTES = 64 * 1024
# The one upload, a data import: a file of at most 5 MB (knipa.personal_data.export.MAX_BYTES) and
# the form around it. Kept in memory, never in a temporary file. A larger body gets a translated 413
# (knipa.middleware.BodyLimitMiddleware) before Django reads it.
UPLOAD_MAX_BODY_BYTES = 5 * 1024 * 1024 + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BODY_BYTES
# Seconds a client is asked to wait (Retry-After) when the database was too busy to answer (503).
BUSY_RETRY_AFTER_SECONDS = 5
# The web server (Waitress, knipa/cli.py) refuses a larger body with 413 before Django reads a
# byte. Comfortably above the largest upload Knipa takes, a data import (5 MB, personal_data), with
# the form around it; docs/deploy/nginx-knipa.conf's client_max_body_size says the same to nginx.
SERVER_MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024

# --- Care advice (spec V4) ------------------------------------------------------------------
# Sweden's health advice line by default; another country sets its own number and web address.
CARE_ADVICE_PHONE = env_str("KNIPA_CARE_PHONE", "1177")
CARE_ADVICE_URL = env_str("KNIPA_CARE_URL", "https://www.1177.se")
CARE_ADVICE_NAME = env_str("KNIPA_CARE_NAME", "1177")

# --- The guide -------------------------------------------------------------------------------
# A host's folder of guide pages (sv/, en/ ... with <slug>.md files, docs/guide.md): a page there
# replaces ours with the same slug or adds a new one. Empty: only Knipa's own pages.
GUIDE_DIR = env_str("KNIPA_GUIDE_DIR", "")

# --- Reminders ------------------------------------------------------------------------------
# The address links in reminders point to (notifications, e-mails, calendar events).
PUBLIC_URL = env_str("KNIPA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Whether the host gave it. If not, links on a page (and in what a page hands out: the calendar
# file, the calendar feed, a confirmation mail sent from a page) take the address the request came
# to, so `knipa serve --port 8101` gives links to :8101; the worker, with no request, uses the default.
PUBLIC_URL_GIVEN = bool(env_str("KNIPA_PUBLIC_URL", "").strip())
# E-mail reminders are offered only when the host has set an SMTP server.
EMAIL_HOST = env_str("KNIPA_EMAIL_HOST", "")
EMAIL_PORT = env_int("KNIPA_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("KNIPA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KNIPA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KNIPA_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = env_bool("KNIPA_EMAIL_SSL", False)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = env_str("KNIPA_EMAIL_FROM", "Knipa <knipa@localhost>")
EMAIL_REMINDERS = bool(EMAIL_HOST)
# The contact push services may use about our pushes (the VAPID "sub" claim, RFC 8292).
VAPID_CONTACT = env_str("KNIPA_VAPID_CONTACT", "mailto:knipa@localhost")
# Push endpoints are only accepted on these push services' hosts (and their subdomains), so that
# the worker never posts to an address a visitor made up (an internal server, say). Loopback
# hosts may be added for tests and local push services; only those may use plain http.
PUSH_SERVICE_HOSTS = env_list("KNIPA_PUSH_SERVICE_HOSTS", [
    "fcm.googleapis.com", "android.googleapis.com", "updates.push.services.mozilla.com",
    "push.services.mozilla.com", "notify.windows.com", "push.apple.com",
])
# `knipa serve` runs a reminder worker in the same process unless this is false (a region runs
# `knipa worker` processes of its own instead).
RUN_WORKER_IN_SERVE = env_bool("KNIPA_SERVE_WORKER", True)
# How long a reminder worker's claim on an occurrence lasts: a worker that dies loses its claims
# after this, and another worker sends them. Longer than any one send can take (10 s timeout).
WORKER_LEASE_SECONDS = env_int("KNIPA_WORKER_LEASE_SECONDS", 120, minimum=1)

# --- Logging --------------------------------------------------------------------------------
# Warnings and errors to stderr, without request bodies or user names. The request logger's
# messages carry only the path, and Knipa never puts personal data in a path.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env_str("KNIPA_LOG_LEVEL", "WARNING")},
    "loggers": {
        "axes": {"level": "ERROR"},
        "django.security.csrf": {"level": "ERROR"},
    },
}

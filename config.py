"""Configuration classes, picked by the BONECHECK_ENV environment variable.

Every setting reads an environment variable with a safe default, so the embedded
default (SQLite, offline SMS) needs nothing set, while production must be told
its secrets and refuses to start without them.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'bonecheck.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Where `make` puts the npm nhsuk-frontend package; served at /assets.
    NHSUK_FRONTEND_DIST = os.environ.get(
        "NHSUK_FRONTEND_DIST", str(BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk")
    )
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "bonecheck_session"
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    SESSION_REFRESH_EACH_REQUEST = True
    # Uploads (practice lists, listings) are refused above this size.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Who runs this BoneCheck (webapp/branding.py): named in every footer and on the About
    # page. The NHS logo and font only for an organisation entitled to them.
    OWNER_NAME = os.environ.get("OWNER_NAME", "BoneCheck (a demonstration service)")
    OWNER_CONTACT = os.environ.get("OWNER_CONTACT", "")
    OWNER_LOGO = os.environ.get("OWNER_LOGO", "")
    NHS_BRANDING = os.environ.get("NHS_BRANDING", "").lower() in {"1", "true", "yes"}
    # Staff sign-in (webapp/accounts, docs/security.md).
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"  # argon2-cffi profile: Argon2id, 64 MiB
    STAFF_TOTP_REQUIRED = os.environ.get("STAFF_TOTP_REQUIRED", "").lower() in {"1", "true", "yes"}
    # Only failures count (docs/security.md): one client address trying one account is
    # held after SIGN_IN_CLIENT_LIMIT failures in its window; an account is locked after
    # STAFF_LOCKOUT_THRESHOLD failures in a row from anywhere.
    STAFF_LOCKOUT_THRESHOLD = 20
    STAFF_LOCKOUT_DURATION = timedelta(minutes=15)
    SIGN_IN_CLIENT_LIMIT = 5
    SIGN_IN_CLIENT_WINDOW = timedelta(minutes=15)
    # How many reverse proxies in front add X-Forwarded-For (docs/deployment.md). With 0,
    # the headers are ignored: a client could otherwise choose its own address.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    DEMO_STAFF_ACCOUNTS = True  # `flask seed demo` may make the demo admin and nurse
    # Texts (webapp/sms): "outbox" keeps them offline for the staff SMS outbox page;
    # "twilio" sends them. TWILIO_API_BASE_URL points the client at another server
    # that speaks Twilio's API (tests, benchmarks); empty means Twilio's own.
    SMS_BACKEND = os.environ.get("SMS_BACKEND", "outbox")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
    # The token before a rotation: callbacks signed with it are still accepted.
    TWILIO_PREVIOUS_AUTH_TOKEN = os.environ.get("TWILIO_PREVIOUS_AUTH_TOKEN", "")
    TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
    TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
    TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "")
    # The address Twilio calls back on, as the outside world sees it (behind any proxy).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:5000")
    SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "10"))
    # A text with no final delivery status after this long is marked "unknown".
    SMS_UNKNOWN_AFTER = timedelta(days=int(os.environ.get("SMS_UNKNOWN_AFTER_DAYS", "3")))
    # Sending reminders (webapp/reminders/dispatch.py).
    REMINDER_EXPIRY_AFTER = timedelta(hours=float(os.environ.get("REMINDER_EXPIRY_HOURS", "3")))
    SMS_DAILY_CAP_PER_PATIENT = int(os.environ.get("SMS_DAILY_CAP_PER_PATIENT", "4"))
    SMS_DUPLICATE_WINDOW = timedelta(hours=float(os.environ.get("SMS_DUPLICATE_HOURS", "1")))
    # Texts a second from one dispatcher (a Twilio long code sends 1; a messaging service more).
    SMS_MAX_PER_SECOND = float(os.environ.get("SMS_MAX_PER_SECOND", "10"))
    # A text still `sending` this long after its claim is reconciled (its process died).
    SMS_STUCK_AFTER = timedelta(seconds=float(os.environ.get("SMS_STUCK_AFTER_SECONDS", "600")))
    SMS_RETRY_FIRST_DELAY = timedelta(minutes=1)
    SMS_RETRY_LONGEST_DELAY = timedelta(minutes=30)
    # Only `make run` sets this: the development server then runs the scheduler too.
    RUN_SCHEDULER = os.environ.get("RUN_SCHEDULER", "").lower() in {"1", "true", "yes"}
    # SMS reminders: `flask reminders plan` writes the outbox this many days ahead.
    REMINDER_PLAN_DAYS = int(os.environ.get("REMINDER_PLAN_DAYS", "14"))
    # Replies (webapp/reminders/inbound.py): LATER reminds once more after this long (within
    # the sending hours, else the next day); past REPLY_BURST_LIMIT messages from one number
    # in REPLY_BURST_MINUTES nothing more is answered; a text awaits its answer this many days.
    REPLY_LATER_AFTER = timedelta(minutes=int(os.environ.get("REPLY_LATER_AFTER_MINUTES", "120")))
    REPLY_BURST_LIMIT = int(os.environ.get("REPLY_BURST_LIMIT", "5"))
    REPLY_BURST_WINDOW = timedelta(minutes=int(os.environ.get("REPLY_BURST_MINUTES", "10")))
    REPLY_OPEN_DAYS = int(os.environ.get("REPLY_OPEN_DAYS", "14"))
    # The words of a reply are personal data: deleted after this long, the outcome kept.
    REPLY_BODY_KEEP = timedelta(days=int(os.environ.get("REPLY_BODY_KEEP_DAYS", "90")))
    # Ofcom's drama mobiles (07700 900000 to 900999) pass as mobiles for demo and test
    # data (webapp/phones.py); production refuses them, as no one can be texted there.
    ALLOW_DRAMA_NUMBERS = True

    @classmethod
    def check(cls) -> None:
        """Refuse to start when a setting this environment needs is missing."""
        check_sms_settings(cls, production=False)


class DevelopmentConfig(Config):
    """The embedded default that `make run` starts: SQLite file, demo data."""

    DEBUG = False


class TestConfig(Config):
    """Used by the test suite: an in-memory SQLite unless DATABASE_URL says otherwise."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    PASSWORD_HASH_PROFILE = "CHEAPEST"  # still Argon2id, fast enough for hundreds of sign-ins
    RUN_SCHEDULER = False  # never under tests, whatever the environment says


class ProductionConfig(Config):
    """Production: secrets from the environment, cookies only over HTTPS."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    STAFF_TOTP_REQUIRED = True
    DEMO_STAFF_ACCOUNTS = False
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    ALLOW_DRAMA_NUMBERS = False

    @classmethod
    def check(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production needs these environment variables set: " + ", ".join(missing)
            )
        check_sms_settings(cls, production=True)


SMS_BACKENDS = ("outbox", "twilio")
TWILIO_SETTINGS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL")


def check_sms_settings(config: type[Config], *, production: bool) -> None:
    """Refuse an unknown SMS_BACKEND anywhere, and Twilio without its settings in production.

    Production must be told PUBLIC_BASE_URL: the development default would send
    every delivery receipt to a machine that is not there.
    """
    if config.SMS_BACKEND not in SMS_BACKENDS:
        raise RuntimeError(
            f"SMS_BACKEND must be one of {', '.join(SMS_BACKENDS)}, not {config.SMS_BACKEND!r}"
        )
    if not production or config.SMS_BACKEND != "twilio":
        return
    missing = [name for name in TWILIO_SETTINGS if not getattr(config, name)]
    if not (config.TWILIO_FROM_NUMBER or config.TWILIO_MESSAGING_SERVICE_SID):
        missing.append("TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")
    if missing:
        raise RuntimeError(
            "SMS_BACKEND=twilio needs these environment variables set: " + ", ".join(missing)
        )


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """Return the config class named by BONECHECK_ENV (development by default)."""
    name = os.environ.get("BONECHECK_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"BONECHECK_ENV must be one of {', '.join(CONFIGS)}, not {name!r}"
        ) from None

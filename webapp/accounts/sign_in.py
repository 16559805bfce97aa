"""Signing in: password, then a security code; failures limited per account and per client.

Only failures are counted, never attempts, so a hospital's staff behind one
address are not held back by one person guessing (docs/security.md):
- per client address and account: a run of failures (5 by default) holds that
  account from that address for a while; everyone else at the address signs in;
- per account from everywhere: a longer run (20) locks the account, which stops
  guessing spread over many addresses; an admin can unlock it.
Counts live in the database and change only through atomic UPDATEs
(`failed_attempts = failed_attempts + 1`), so every web process shares them and
two processes racing cannot lose a count. Whether or not an email address has
an account, the answer, the counting and the Argon2 work are the same.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.accounts import passwords, totp
from webapp.models.staff import SignInAttempt, SignInLock, StaffMember

# A lock row with no failure for this long is forgotten.
FORGET_FAILURES_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class SignInPolicy:
    """The settings sign-in follows, read from the app's config by the caller."""

    hasher: PasswordHasher
    secret_key: str
    totp_required: bool = False
    lockout_threshold: int = 20
    lockout_duration: timedelta = timedelta(minutes=15)
    client_limit: int = 5
    client_window: timedelta = timedelta(minutes=15)


class Outcome(StrEnum):
    SIGNED_IN = "signed in"
    NEEDS_CODE = "needs a security code"
    NEEDS_CODE_SET_UP = "needs a security code set up"
    REFUSED = "refused"
    LOCKED = "locked"
    TOO_MANY_ATTEMPTS = "too many failures for this account from this address"


@dataclass(frozen=True)
class SignInResult:
    outcome: Outcome
    staff: StaffMember | None = None
    locked_until: datetime | None = None


def normalise_email(email: str) -> str:
    """Email addresses are compared in lower case without surrounding spaces."""
    return email.strip().lower()


def keyed_hash(secret_key: str, purpose: str, value: str) -> str:
    """An HMAC-SHA256 of `value`, so a stolen table does not list addresses or emails."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def email_key(policy: SignInPolicy, email: str) -> str:
    """The lock table's key for an email address."""
    return keyed_hash(policy.secret_key, "email", normalise_email(email))


def client_key(policy: SignInPolicy, address: str, email: str) -> str:
    """The key of one client address trying one account."""
    return keyed_hash(policy.secret_key, "address+email", f"{address}|{normalise_email(email)}")


def check_password(
    session: Session, policy: SignInPolicy, email: str, password: str, address: str,
    now: datetime,
) -> SignInResult:
    """The first step: email and password. Counts a failure for the account and the client."""
    client = client_key(policy, address or "unknown", email)
    if client_is_held(session, policy, client, now):
        return SignInResult(Outcome.TOO_MANY_ATTEMPTS)
    key = email_key(policy, email)
    locked_until = current_lock(session, key, now)
    if locked_until is not None:
        return SignInResult(Outcome.LOCKED, locked_until=locked_until)
    staff = session.execute(
        select(StaffMember).where(StaffMember.email == normalise_email(email))
    ).scalar_one_or_none()
    if staff is None:
        passwords.spend_as_long_as_a_verify(policy.hasher)
        return _failed(session, policy, key, client, now)
    matches, new_hash = passwords.verify_password(policy.hasher, staff.password_hash, password)
    if not matches or not staff.active:
        return _failed(session, policy, key, client, now)
    if new_hash is not None:
        staff.password_hash = new_hash
    if staff.uses_totp:
        return SignInResult(Outcome.NEEDS_CODE, staff)
    if policy.totp_required:
        return SignInResult(Outcome.NEEDS_CODE_SET_UP, staff)
    complete_sign_in(session, policy, staff, now)
    _forget_client(session, client)
    return SignInResult(Outcome.SIGNED_IN, staff)


def check_security_code(
    session: Session, policy: SignInPolicy, staff: StaffMember, code: str, address: str,
    now: datetime,
) -> SignInResult:
    """The second step: a code from the authenticator app, for someone past the password."""
    return _second_step(
        session, policy, staff, address, now, lambda: totp.accept_code(session, staff, code, now)
    )


def confirm_security_code_set_up(
    session: Session, policy: SignInPolicy, staff: StaffMember, code: str, address: str,
    now: datetime,
) -> SignInResult:
    """Switch on the secret being set up, once the person proves their app shows its codes."""

    def confirm() -> bool:
        if staff.totp_pending_secret is None:
            return False
        step = totp.matching_step(staff.totp_pending_secret, code, now)
        if step is None:
            return False
        staff.totp_secret = staff.totp_pending_secret
        staff.totp_pending_secret = None
        staff.totp_enabled_at = now
        staff.totp_last_step = step
        return True

    return _second_step(session, policy, staff, address, now, confirm)


def _second_step(session, policy, staff, address, now, accept) -> SignInResult:
    client = client_key(policy, address or "unknown", staff.email)
    if client_is_held(session, policy, client, now):
        return SignInResult(Outcome.TOO_MANY_ATTEMPTS, staff)
    key = email_key(policy, staff.email)
    locked_until = current_lock(session, key, now)
    if locked_until is not None:
        return SignInResult(Outcome.LOCKED, staff, locked_until)
    if not staff.active or not accept():
        result = _failed(session, policy, key, client, now)
        return SignInResult(result.outcome, staff, result.locked_until)
    complete_sign_in(session, policy, staff, now)
    _forget_client(session, client)
    return SignInResult(Outcome.SIGNED_IN, staff)


def complete_sign_in(
    session: Session, policy: SignInPolicy, staff: StaffMember, now: datetime
) -> None:
    """Both steps passed: the run of failures ends and the time is noted."""
    key = email_key(policy, staff.email)
    session.execute(delete(SignInLock).where(SignInLock.email_hash == key))
    staff.last_signed_in_at = now


def _failed(
    session: Session, policy: SignInPolicy, key: str, client: str, now: datetime
) -> SignInResult:
    count_client_failure(session, policy, client, now)
    locked_until = count_failure(session, policy, key, now)
    if locked_until is not None:
        return SignInResult(Outcome.LOCKED, locked_until=locked_until)
    return SignInResult(Outcome.REFUSED)


def current_lock(session: Session, key: str, now: datetime) -> datetime | None:
    """When the lock on this email address ends, if it is locked now."""
    locked_until = session.execute(
        select(SignInLock.locked_until).where(SignInLock.email_hash == key)
    ).scalar_one_or_none()
    return locked_until if locked_until is not None and locked_until > now else None


def count_failure(
    session: Session, policy: SignInPolicy, key: str, now: datetime
) -> datetime | None:
    """Add one failure for this email address; lock it at the threshold. Returns the lock's end.

    One UPDATE reads and writes the count, so concurrent failures are all
    counted. Reaching the threshold locks the address and starts the count again.
    """
    reaches_threshold = SignInLock.failed_attempts + 1 >= policy.lockout_threshold
    statement = (
        update(SignInLock)
        .where(SignInLock.email_hash == key)
        .values(
            failed_attempts=case((reaches_threshold, 0), else_=SignInLock.failed_attempts + 1),
            locked_until=case(
                (reaches_threshold, now + policy.lockout_duration), else_=SignInLock.locked_until
            ),
            last_failed_at=now,
        )
        .returning(SignInLock.locked_until)
        .execution_options(synchronize_session=False)
    )
    row = _update_or_insert(
        session,
        statement,
        insert(SignInLock).values(email_hash=key, failed_attempts=0, last_failed_at=now),
    )
    session.execute(
        delete(SignInLock).where(
            SignInLock.last_failed_at < now - FORGET_FAILURES_AFTER,
            SignInLock.email_hash != key,
        )
    )
    locked_until = row[0]
    return locked_until if locked_until is not None and locked_until > now else None


def _forget_client(session: Session, client: str) -> None:
    """A full sign-in ends this client's run of failures, as it ends the account's."""
    session.execute(delete(SignInAttempt).where(SignInAttempt.address_hash == client))


def client_is_held(session: Session, policy: SignInPolicy, client: str, now: datetime) -> bool:
    """True while this client (address and account) has failed `client_limit` times lately."""
    failures = session.execute(
        select(SignInAttempt.attempts).where(
            SignInAttempt.address_hash == client,
            SignInAttempt.window_started_at > now - policy.client_window,
        )
    ).scalar_one_or_none()
    return failures is not None and failures >= policy.client_limit


def count_client_failure(
    session: Session, policy: SignInPolicy, client: str, now: datetime
) -> None:
    """Count one failure for a client address trying one account (`client_key`).

    A fixed window per client: the first failure after the window has passed
    starts a new one. Only a keyed hash of the address and email is stored.
    """
    window_over = SignInAttempt.window_started_at <= now - policy.client_window
    statement = (
        update(SignInAttempt)
        .where(SignInAttempt.address_hash == client)
        .values(
            attempts=case((window_over, 1), else_=SignInAttempt.attempts + 1),
            window_started_at=case((window_over, now), else_=SignInAttempt.window_started_at),
        )
        .returning(SignInAttempt.attempts)
        .execution_options(synchronize_session=False)
    )
    _update_or_insert(
        session,
        statement,
        insert(SignInAttempt).values(address_hash=client, window_started_at=now, attempts=0),
    )
    session.execute(
        delete(SignInAttempt).where(
            SignInAttempt.window_started_at < now - policy.client_window,
            SignInAttempt.address_hash != client,
        )
    )


def _update_or_insert(session: Session, statement, first_row):
    """Run an UPDATE … RETURNING; if no row exists yet, INSERT `first_row` and run it again.

    The insert is in a savepoint: if another process inserted the same key a
    moment earlier, the unique key refuses ours and the UPDATE counts on theirs.
    """
    row = session.execute(statement).first()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.execute(first_row)
    except IntegrityError:
        pass  # another process made the row first; the UPDATE below counts on it
    return session.execute(statement).one()

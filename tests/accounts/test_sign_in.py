"""Sign-in rules: failures counted per client and per account, never attempts; no enumeration.

Tests of the account's lock try from a new address each time (`_try`'s default),
so the per-client hold, tested on its own below, never comes first.
"""

from datetime import datetime, timedelta
from itertools import count

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts.factories import PASSWORD, create_staff_member
from webapp.accounts import sign_in
from webapp.accounts.sign_in import Outcome
from webapp.auth.sessions import sign_in_policy
from webapp.extensions import db
from webapp.models.staff import SignInAttempt, SignInLock

NOW = datetime(2026, 3, 2, 10, 0, 0)
ADDRESS = "192.0.2.10"


@pytest.fixture
def policy(app):
    return sign_in_policy()


_hosts = count(1)


def _somewhere() -> str:
    """A different client address each call (guessing spread over many addresses)."""
    number = next(_hosts)
    return f"198.51.{number // 250}.{number % 250 + 1}"


def _try(database, policy, email, password, now=NOW, address=None):
    address = address or _somewhere()
    result = sign_in.check_password(database, policy, email, password, address, now)
    database.commit()
    return result


def test_right_password_without_a_code_signs_in(database, policy):
    staff = create_staff_member(database)
    result = _try(database, policy, staff.email.upper() + " ", PASSWORD)
    assert result.outcome is Outcome.SIGNED_IN and result.staff.id == staff.id
    assert staff.last_signed_in_at == NOW


def test_an_account_with_a_code_needs_it_next(database, policy):
    staff = create_staff_member(database, with_security_code=True)
    assert _try(database, policy, staff.email, PASSWORD).outcome is Outcome.NEEDS_CODE


def test_when_codes_are_required_an_account_without_one_must_set_it_up(database, policy):
    staff = create_staff_member(database)
    required = sign_in.SignInPolicy(**{**policy.__dict__, "totp_required": True})
    assert _try(database, required, staff.email, PASSWORD).outcome is Outcome.NEEDS_CODE_SET_UP


def test_twenty_failures_in_a_row_lock_the_account_for_fifteen_minutes(database, policy):
    staff = create_staff_member(database)
    assert policy.lockout_threshold == 20
    outcomes = [_try(database, policy, staff.email, "wrong password!").outcome for _ in range(20)]
    assert outcomes == [Outcome.REFUSED] * 19 + [Outcome.LOCKED]
    locked = _try(database, policy, staff.email, PASSWORD, NOW + timedelta(minutes=14))
    assert locked.outcome is Outcome.LOCKED
    assert locked.locked_until == NOW + timedelta(minutes=15)
    after = _try(database, policy, staff.email, PASSWORD, NOW + timedelta(minutes=15, seconds=1))
    assert after.outcome is Outcome.SIGNED_IN


def test_a_success_ends_the_run_of_failures(database, policy):
    staff = create_staff_member(database)
    for _ in range(19):
        _try(database, policy, staff.email, "wrong password!")
    assert _try(database, policy, staff.email, PASSWORD).outcome is Outcome.SIGNED_IN
    for _ in range(19):
        assert _try(database, policy, staff.email, "wrong password!").outcome is Outcome.REFUSED


def test_a_success_ends_the_clients_run_of_failures_too(database, policy):
    staff = create_staff_member(database)
    for _ in range(4):
        _try(database, policy, staff.email, "wrong password!", address=ADDRESS)
    assert _try(database, policy, staff.email, PASSWORD, address=ADDRESS).outcome is (
        Outcome.SIGNED_IN
    )
    for _ in range(4):
        wrong = _try(database, policy, staff.email, "wrong password!", address=ADDRESS)
        assert wrong.outcome is Outcome.REFUSED


def test_an_unknown_email_is_answered_and_locked_exactly_like_a_real_one(database, policy):
    staff = create_staff_member(database)
    real = [_try(database, policy, staff.email, "wrong password!") for _ in range(21)]
    unknown = [_try(database, policy, "nobody@nhs.net", "wrong password!") for _ in range(21)]
    held = [_try(database, policy, email, "wrong password!", address=ADDRESS)
            for email in (staff.email, "nobody@nhs.net") for _ in range(6)]  # fmt: skip
    assert [r.outcome for r in held[:6]] == [r.outcome for r in held[6:]]
    assert [r.outcome for r in real] == [r.outcome for r in unknown]
    assert [r.locked_until for r in real] == [r.locked_until for r in unknown]
    assert all(r.staff is None for r in real + unknown)


def test_a_deactivated_account_is_refused_like_a_wrong_password(database, policy):
    staff = create_staff_member(database)
    staff.active = False
    database.commit()
    assert _try(database, policy, staff.email, PASSWORD).outcome is Outcome.REFUSED


def test_wrong_security_codes_count_towards_the_same_lock(database, policy):
    staff = create_staff_member(database, with_security_code=True)
    for _ in range(20):
        result = sign_in.check_security_code(database, policy, staff, "000000", _somewhere(), NOW)
        database.commit()
    assert result.outcome is Outcome.LOCKED
    assert _try(database, policy, staff.email, PASSWORD).outcome is Outcome.LOCKED


def test_a_right_password_does_not_end_a_run_of_wrong_codes(database, policy):
    staff = create_staff_member(database, with_security_code=True)
    for _ in range(19):
        address = _somewhere()
        assert _try(database, policy, staff.email, PASSWORD, address=address).outcome is (
            Outcome.NEEDS_CODE
        )
        sign_in.check_security_code(database, policy, staff, "000000", address, NOW)
        database.commit()
    result = sign_in.check_security_code(database, policy, staff, "000000", _somewhere(), NOW)
    assert result.outcome is Outcome.LOCKED


def test_five_wrong_codes_from_one_address_hold_that_address_only(database, policy):
    staff = create_staff_member(database, with_security_code=True)
    outcomes = []
    for _ in range(6):
        result = sign_in.check_security_code(database, policy, staff, "000000", ADDRESS, NOW)
        database.commit()
        outcomes.append(result.outcome)
    assert outcomes == [Outcome.REFUSED] * 5 + [Outcome.TOO_MANY_ATTEMPTS]
    elsewhere = sign_in.check_security_code(database, policy, staff, "000000", _somewhere(), NOW)
    assert elsewhere.outcome is Outcome.REFUSED


def test_right_code_signs_in(database, policy):
    staff = create_staff_member(database, with_security_code=True)
    code = pyotp.TOTP(staff.totp_secret).at(int((NOW - datetime(1970, 1, 1)).total_seconds()))
    result = sign_in.check_security_code(database, policy, staff, code, ADDRESS, NOW)
    assert result.outcome is Outcome.SIGNED_IN


def test_setting_up_a_code_switches_it_on_only_with_a_right_first_code(database, policy):
    staff = create_staff_member(database)
    staff.totp_pending_secret = secret = pyotp.random_base32()
    wrong = sign_in.confirm_security_code_set_up(database, policy, staff, "000000", ADDRESS, NOW)
    assert wrong.outcome is Outcome.REFUSED and staff.totp_secret is None
    code = pyotp.TOTP(secret).at(int((NOW - datetime(1970, 1, 1)).total_seconds()))
    right = sign_in.confirm_security_code_set_up(database, policy, staff, code, ADDRESS, NOW)
    assert right.outcome is Outcome.SIGNED_IN
    assert (staff.totp_secret, staff.totp_pending_secret) == (secret, None)
    # The code used to confirm cannot be used again to sign in.
    again = sign_in.check_security_code(database, policy, staff, code, ADDRESS, NOW)
    assert again.outcome is Outcome.REFUSED


def test_five_failures_from_one_address_hold_that_address_for_that_account(database, policy):
    staff = create_staff_member(database)
    outcomes = [_try(database, policy, staff.email, "wrong password!", address=ADDRESS).outcome
                for _ in range(5)]  # fmt: skip
    assert outcomes == [Outcome.REFUSED] * 5
    held = _try(database, policy, staff.email, PASSWORD, NOW + timedelta(minutes=14), ADDRESS)
    assert held.outcome is Outcome.TOO_MANY_ATTEMPTS
    assert _try(database, policy, staff.email, PASSWORD).outcome is Outcome.SIGNED_IN
    later = NOW + timedelta(minutes=15, seconds=1)
    assert _try(database, policy, staff.email, PASSWORD, later, ADDRESS).outcome is (
        Outcome.SIGNED_IN
    )


def test_one_person_guessing_does_not_hold_back_a_colleague_at_the_same_address(
    database, policy
):
    """Two people behind one hospital address: one guesses wrongly, again and again."""
    admin = create_staff_member(database)
    for attempt in range(40):
        guessed = "nobody@nhs.net" if attempt % 2 else "someone.else@nhs.net"
        _try(database, policy, guessed, "wrong password!", address=ADDRESS)
    assert _try(database, policy, admin.email, PASSWORD, address=ADDRESS).outcome is (
        Outcome.SIGNED_IN
    )


def test_a_held_client_is_refused_before_any_password_check(database, policy):
    staff = create_staff_member(database)
    client = sign_in.client_key(policy, ADDRESS, staff.email)
    for _ in range(5):
        sign_in.count_client_failure(database, policy, client, NOW)
    assert _try(database, policy, staff.email, PASSWORD, address=ADDRESS).outcome is (
        Outcome.TOO_MANY_ATTEMPTS
    )
    assert staff.last_signed_in_at is None


def test_addresses_and_emails_are_stored_only_as_keyed_hashes(database, policy):
    staff = create_staff_member(database)
    _try(database, policy, staff.email, "wrong password!", address=ADDRESS)
    stored = (
        database.execute(select(SignInAttempt.address_hash)).scalar_one(),
        database.execute(select(SignInLock.email_hash)).scalar_one(),
    )
    assert ADDRESS not in stored[0] and len(stored[0]) == 64
    assert staff.email not in stored[1] and len(stored[1]) == 64
    assert stored[0] == sign_in.keyed_hash(
        policy.secret_key, "address+email", f"{ADDRESS}|{staff.email}"
    )


def test_counts_from_two_sessions_are_both_kept(database, policy):
    """Two database sessions (as two processes would have) each count a failure."""
    key = sign_in.email_key(policy, "someone@nhs.net")
    with Session(db.engine) as second:
        sign_in.count_failure(database, policy, key, NOW)
        database.commit()
        sign_in.count_failure(second, policy, key, NOW)
        second.commit()
    count = database.execute(
        select(SignInLock.failed_attempts).where(SignInLock.email_hash == key)
    ).scalar_one()
    assert count == 2


def test_old_rows_are_forgotten(database, policy):
    sign_in.count_client_failure(database, policy, sign_in.client_key(policy, ADDRESS, "a"), NOW)
    sign_in.count_failure(database, policy, sign_in.email_key(policy, "a@nhs.net"), NOW)
    later = NOW + timedelta(days=2)
    sign_in.count_client_failure(database, policy, sign_in.client_key(policy, ADDRESS, "b"), later)
    sign_in.count_failure(database, policy, sign_in.email_key(policy, "b@nhs.net"), later)
    database.commit()
    assert len(database.scalars(select(SignInAttempt)).all()) == 1
    assert len(database.scalars(select(SignInLock)).all()) == 1

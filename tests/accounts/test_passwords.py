"""Argon2id hashing, rehashing when parameters change, and the password rules."""

import dataclasses

import pytest
from argon2 import PasswordHasher, profiles

from webapp.accounts import passwords
from webapp.accounts.errors import AccountError


@pytest.fixture
def hasher() -> PasswordHasher:
    return passwords.make_hasher("CHEAPEST")


def test_hash_is_argon2id_and_verifies(hasher):
    stored = passwords.hash_password(hasher, "a long enough password")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(hasher, stored, "a long enough password") == (True, None)


def test_wrong_password_and_garbage_hash_do_not_verify(hasher):
    stored = passwords.hash_password(hasher, "a long enough password")
    assert passwords.verify_password(hasher, stored, "a different password") == (False, None)
    assert passwords.verify_password(hasher, "not a hash", "anything") == (False, None)


def test_a_hash_with_old_parameters_is_rehashed_on_success(hasher):
    stored = passwords.hash_password(hasher, "a long enough password")
    stronger = PasswordHasher.from_parameters(
        dataclasses.replace(profiles.CHEAPEST, time_cost=2, memory_cost=16)
    )
    matches, new_hash = passwords.verify_password(stronger, stored, "a long enough password")
    assert matches is True
    assert new_hash is not None and "m=16,t=2" in new_hash
    assert passwords.verify_password(stronger, new_hash, "a long enough password") == (True, None)


def test_only_argon2id_profiles_are_accepted():
    assert passwords.make_hasher("RFC_9106_LOW_MEMORY").type.name == "ID"
    with pytest.raises(AttributeError):
        passwords.make_hasher("NO_SUCH_PROFILE")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Password must be 12 characters or more"),
        ("x" * 201, "Password must be 200 characters or fewer"),
        ("password1234", "Choose a password that is harder to guess"),
        ("aaaaaaaaaaaaab", "Choose a password that is harder to guess"),
        ("sam.jones-is-me-2024", "Password must not contain your email address"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, message):
    with pytest.raises(AccountError) as refused:
        passwords.check_password_rules(password, "sam.jones@nhs.net")
    assert refused.value.message == message
    assert refused.value.field == "password"


def test_a_good_password_passes_the_rules():
    passwords.check_password_rules("correct horse battery staple", "sam.jones@nhs.net")


def test_generated_passwords_pass_the_rules_and_differ():
    generated = {passwords.generate_password() for _ in range(20)}
    assert len(generated) == 20
    for password in generated:
        passwords.check_password_rules(password)
        assert len(password.split("-")) == 6


def test_dummy_verify_does_argon2_work_and_fails(hasher, monkeypatch):
    calls = []
    original = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher, "verify", lambda self, *args: calls.append(args) or original(self, *args)
    )
    passwords.spend_as_long_as_a_verify(hasher)
    assert len(calls) == 1 and calls[0][0].startswith("$argon2id$")

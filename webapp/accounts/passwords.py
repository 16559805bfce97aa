"""Passwords: Argon2id hashes, rehashed when the parameters change, and the rules.

The rules follow the NCSC's advice: length matters, composition rules and
forced expiry do not, and obvious choices are refused.
"""

import secrets

import argon2
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from webapp.accounts.errors import AccountError

MIN_LENGTH = 12
MAX_LENGTH = 200  # hashing a megabyte of "password" would be a cheap way to tie up a worker
# Words a password must not simply be (NCSC: block the most common choices).
OBVIOUS = frozenset(
    {"password", "passw0rd", "bonecheck", "osteoporosis", "qwerty", "letmein", "welcome",
     "123456", "fracture", "nhs"}
)
# Words for generated passwords: three random words are easy to type and to read out.
WORDS = (
    "amber anchor apple arrow aspen badge basil beacon birch bloom bridge brook cabin canal "
    "candle castle cedar chalk cherry cider clover comet copper coral cotton crane daisy delta "
    "dune eagle ember falcon fern fiddle flint forest fossil garden ginger glacier granite "
    "harbour hazel heron island ivory jasmine juniper kettle kiwi lagoon lantern lemon lilac "
    "linen maple marble meadow mint moss nutmeg oak olive orchid otter pebble pepper pine "
    "plum poppy quartz quill raven reed river robin saffron sage shell silver slate sparrow "
    "spruce stone summit swallow thistle thyme timber tulip valley velvet violet walnut "
    "willow wren yarrow"
).split()


def make_hasher(profile_name: str) -> PasswordHasher:
    """A hasher with the named argon2-cffi profile (RFC_9106_LOW_MEMORY in production).

    Always Argon2id; a stored hash made with other parameters is rehashed at the
    next successful sign-in (see `verify_password`).
    """
    parameters = getattr(profiles, profile_name)
    if parameters.type is not argon2.Type.ID:
        raise ValueError(f"{profile_name} is not an Argon2id profile")
    return PasswordHasher.from_parameters(parameters)


def hash_password(hasher: PasswordHasher, password: str) -> str:
    """The Argon2id hash to store for `password`."""
    return hasher.hash(password)


def verify_password(
    hasher: PasswordHasher, stored_hash: str, password: str
) -> tuple[bool, str | None]:
    """Whether `password` matches, and a new hash to store if the parameters have changed."""
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if hasher.check_needs_rehash(stored_hash):
        return True, hasher.hash(password)
    return True, None


def spend_as_long_as_a_verify(hasher: PasswordHasher) -> None:
    """Do the same Argon2 work as checking a real password, then fail.

    Used when no account has the email address, so the answer takes as long
    and reads the same as a wrong password.
    """
    verify_password(hasher, _dummy_hash(hasher), secrets.token_urlsafe(16))


_DUMMY_HASHES: dict[tuple, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[key]


def check_password_rules(password: str, email: str = "") -> None:
    """Raise AccountError saying what to change if `password` is too weak or too long."""
    if len(password) < MIN_LENGTH:
        raise AccountError(f"Password must be {MIN_LENGTH} characters or more", "password")
    if len(password) > MAX_LENGTH:
        raise AccountError(f"Password must be {MAX_LENGTH} characters or fewer", "password")
    folded = password.casefold()
    local_part = email.split("@", 1)[0].casefold()
    if folded.strip("0123456789!?. ") in OBVIOUS or len(set(folded)) < 4:
        raise AccountError("Choose a password that is harder to guess", "password")
    if local_part and len(local_part) >= 4 and local_part in folded:
        raise AccountError("Password must not contain your email address", "password")


def generate_password() -> str:
    """A random password of five words and two digits, for new accounts and resets."""
    words = [secrets.choice(WORDS) for _ in range(5)]
    return "-".join(words) + f"-{secrets.randbelow(100):02d}"

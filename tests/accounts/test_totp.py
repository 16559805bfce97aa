"""Security codes: drift allowed, never accepted twice, and the QR code."""

from datetime import datetime, timedelta

import pyotp

from tests.accounts.factories import create_staff_member
from webapp.accounts import totp

NOW = datetime(2026, 3, 2, 10, 0, 15)  # naive UTC, as stored


def _epoch(at: datetime) -> int:
    return int((at - datetime(1970, 1, 1)).total_seconds())


def test_new_secret_is_160_bits_of_base32():
    secret = totp.new_secret()
    assert len(secret) == 32
    assert len(set(totp.new_secret() for _ in range(5))) == 5


def test_code_for_now_and_one_step_either_side_matches():
    secret = totp.new_secret()
    step = _epoch(NOW) // 30
    for offset in (-30, 0, 30):
        code = pyotp.TOTP(secret).at(_epoch(NOW) + offset)
        assert totp.matching_step(secret, code, NOW) == step + offset // 30


def test_code_two_steps_old_or_malformed_does_not_match():
    secret = totp.new_secret()
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(_epoch(NOW) - 90), NOW) is None
    assert totp.matching_step(secret, "12345", NOW) is None
    assert totp.matching_step(secret, "abcdef", NOW) is None


def test_spaces_in_a_typed_code_are_ignored():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(_epoch(NOW))
    assert totp.matching_step(secret, f" {code[:3]} {code[3:]} ", NOW) is not None


def test_code_at_is_what_the_app_shows():
    secret = totp.new_secret()
    assert totp.code_at(secret, NOW) == pyotp.TOTP(secret).at(_epoch(NOW))


def test_a_code_is_accepted_once_only(database):
    staff = create_staff_member(database, with_security_code=True)
    code = pyotp.TOTP(staff.totp_secret).at(_epoch(NOW))
    assert totp.accept_code(database, staff, code, NOW) is True
    assert totp.accept_code(database, staff, code, NOW + timedelta(seconds=10)) is False


def test_an_earlier_code_is_refused_after_a_later_one_was_used(database):
    staff = create_staff_member(database, with_security_code=True)
    later = pyotp.TOTP(staff.totp_secret).at(_epoch(NOW) + 30)
    earlier = pyotp.TOTP(staff.totp_secret).at(_epoch(NOW) - 30)
    assert totp.accept_code(database, staff, later, NOW) is True
    assert totp.accept_code(database, staff, earlier, NOW) is False
    assert staff.totp_last_step == _epoch(NOW) // 30 + 1


def test_qr_code_is_an_svg_without_inline_style():
    uri = totp.setup_uri(totp.new_secret(), "nurse@nhs.net")
    assert uri.startswith("otpauth://totp/BoneCheck:nurse%40nhs.net?secret=")
    svg = totp.qr_code_svg(uri).decode()
    assert svg.lstrip().startswith("<?xml") or svg.lstrip().startswith("<svg")
    assert "style" not in svg

"""Security codes from an authenticator app (TOTP, RFC 6238), and the QR code to set one up.

A code is accepted for its own 30-second step and the one either side (phone
clocks drift), and never twice: the step of the last accepted code is stored
and only a later step is accepted, with an atomic UPDATE so two web processes
cannot both accept the same code.
"""

import io
from datetime import datetime

import pyotp
import segno
from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from webapp.models.staff import StaffMember

ISSUER = "BoneCheck"
STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    """A fresh base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def setup_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> bytes:
    """The QR code for `uri` as an SVG image (no inline style, so the CSP allows it)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=6, border=4, title="QR code to set up your security code"
    )
    return buffer.getvalue()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code is `code` (within the allowed drift), or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    step = _step_at(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(candidate), code):
            return candidate
    return None


def code_at(secret: str, now: datetime) -> str:
    """The code an authenticator app shows at naive-UTC `now` (for the demo accounts)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).generate_otp(_step_at(now))


def accept_code(session: Session, staff: StaffMember, code: str, now: datetime) -> bool:
    """Accept `code` for `staff` unless it is wrong or a code of that step was already used."""
    if staff.totp_secret is None:
        return False
    step = matching_step(staff.totp_secret, code, now)
    if step is None:
        return False
    return _claim_step(session, staff, step)


def _claim_step(session: Session, staff: StaffMember, step: int) -> bool:
    """Record `step` as used, only if it is later than the last one used (atomic)."""
    result = session.execute(
        update(StaffMember)
        .where(
            StaffMember.id == staff.id,
            or_(StaffMember.totp_last_step.is_(None), StaffMember.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    session.refresh(staff, ["totp_last_step"])
    return True


def _step_at(now: datetime) -> int:
    """The TOTP time step at naive-UTC `now`."""
    seconds = (now - datetime(1970, 1, 1)).total_seconds()
    return int(seconds // STEP_SECONDS)

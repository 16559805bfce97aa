"""Database models. Import them from here so Alembic sees every table."""

from webapp.models.base import Base
from webapp.models.follow_up import (
    Contact,
    ContactKind,
    PatientMeasures,
    ServiceMeasures,
    WorklistEntry,
    WorklistHandled,
)
from webapp.models.groups import SupportGroup
from webapp.models.patients import OptOutBy, Patient, PatientStatus, Regimen
from webapp.models.reminders import Reminder, ReminderKind, ReminderStatus, SmsMessage
from webapp.models.replies import InboundMessage, ReplyChannel
from webapp.models.selfcheck import CompletedCheckCount
from webapp.models.staff import (
    AuditEvent,
    FlsService,
    FlsServiceDistrict,
    Role,
    SignInAttempt,
    SignInLock,
    StaffMember,
)

__all__ = [
    "AuditEvent",
    "Base",
    "CompletedCheckCount",
    "Contact",
    "ContactKind",
    "FlsService",
    "FlsServiceDistrict",
    "InboundMessage",
    "OptOutBy",
    "PatientMeasures",
    "Patient",
    "PatientStatus",
    "Regimen",
    "Reminder",
    "ReplyChannel",
    "ReminderKind",
    "ReminderStatus",
    "Role",
    "ServiceMeasures",
    "SignInAttempt",
    "SignInLock",
    "SmsMessage",
    "StaffMember",
    "SupportGroup",
    "WorklistEntry",
    "WorklistHandled",
]

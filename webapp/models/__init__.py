"""Database models. Import them from here so Alembic sees every table."""

from webapp.models.base import Base
from webapp.models.groups import SupportGroup
from webapp.models.selfcheck import CompletedCheckCount

__all__ = ["Base", "CompletedCheckCount", "SupportGroup"]

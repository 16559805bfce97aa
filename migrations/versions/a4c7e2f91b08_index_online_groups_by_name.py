"""Index support groups by meeting format, hidden and name, for the finder's online list

Revision ID: a4c7e2f91b08
Revises: 7d2e4b9a1c35
Create Date: 2026-12-02 01:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a4c7e2f91b08'
down_revision = '7d2e4b9a1c35'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('support_group', schema=None) as batch_op:
        batch_op.create_index('ix_support_group_meeting_format_hidden_name',
                              ['meeting_format', 'hidden', 'name'], unique=False)


def downgrade():
    with op.batch_alter_table('support_group', schema=None) as batch_op:
        batch_op.drop_index('ix_support_group_meeting_format_hidden_name')

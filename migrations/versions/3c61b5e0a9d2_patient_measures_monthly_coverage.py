"""Each patient's months of adherence for the patient page's chart, stored with the rollup

Revision ID: 3c61b5e0a9d2
Revises: bf11f651f848
Create Date: 2026-12-01 21:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c61b5e0a9d2'
down_revision = 'bf11f651f848'
branch_labels = None
depends_on = None


def upgrade():
    # Empty until the rollup job next works a patient out; the page says so meanwhile.
    with op.batch_alter_table('patient_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monthly_coverage', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('patient_measures', schema=None) as batch_op:
        batch_op.drop_column('monthly_coverage')

"""Service measures for the overview, and patient measures by service and time

Revision ID: 3f6b2c8d9e41
Revises: 3c61b5e0a9d2
Create Date: 2026-12-01 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f6b2c8d9e41'
down_revision = '3c61b5e0a9d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fls_service_id', sa.Integer(), nullable=False),
    sa.Column('medicine', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('named_nurse_id', sa.Integer(), nullable=True),
    sa.Column('fracture_month', sa.String(length=7), nullable=True),
    sa.Column('enrolment_month', sa.String(length=7), nullable=False),
    sa.Column('patients', sa.Integer(), nullable=False),
    sa.Column('prompts_asked', sa.Integer(), nullable=False),
    sa.Column('prompts_answered', sa.Integer(), nullable=False),
    sa.Column('adherent', sa.Integer(), nullable=False),
    sa.Column('measured', sa.Integer(), nullable=False),
    sa.Column('pdc_sum', sa.Float(), nullable=False),
    sa.Column('persistent', sa.Integer(), nullable=False),
    sa.Column('persistence_known', sa.Integer(), nullable=False),
    sa.Column('kpi_9_met', sa.Integer(), nullable=False),
    sa.Column('kpi_9_due', sa.Integer(), nullable=False),
    sa.Column('kpi_10_met', sa.Integer(), nullable=False),
    sa.Column('kpi_10_due', sa.Integer(), nullable=False),
    sa.Column('kpi_11_met', sa.Integer(), nullable=False),
    sa.Column('kpi_11_due', sa.Integer(), nullable=False),
    sa.Column('oldest_computed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['fls_service_id'], ['fls_service.id'], name=op.f('fk_service_measures_fls_service_id_fls_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_measures'))
    )
    with op.batch_alter_table('service_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_measures_fls_service_id'), ['fls_service_id'], unique=False)

    with op.batch_alter_table('patient_measures', schema=None) as batch_op:
        batch_op.create_index('ix_patient_measures_service_computed_at', ['fls_service_id', 'computed_at'], unique=False)

    # Empty until the next refresh of the measures: the scheduler refreshes every patient
    # when it starts, and until then the overview says its figures are not worked out yet.


def downgrade():
    with op.batch_alter_table('patient_measures', schema=None) as batch_op:
        batch_op.drop_index('ix_patient_measures_service_computed_at')

    with op.batch_alter_table('service_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_measures_fls_service_id'))

    op.drop_table('service_measures')

"""A version of the finder's listings, changed by triggers on every listing change

Revision ID: 7d2e4b9a1c35
Revises: 3f6b2c8d9e41
Create Date: 2026-12-02 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e4b9a1c35'
down_revision = '3f6b2c8d9e41'
branch_labels = None
depends_on = None

# Everything the finder's pages show comes from these tables.
LISTING_TABLES = ("support_group", "fls_service", "fls_service_district")
# An upsert, so the row comes back if something ever empties the table.
BUMP = ("INSERT INTO listings_version (id, version) VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET version = listings_version.version + 1")


def upgrade():
    op.create_table('listings_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listings_version'))
    )
    op.execute("INSERT INTO listings_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers():
    for table in LISTING_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_{event.lower()}_listings_version "
                       f"AFTER {event} ON {table} BEGIN {BUMP}; END")


def _postgresql_triggers():
    op.execute("CREATE FUNCTION bump_listings_version() RETURNS trigger AS $$ "
               f"BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql")
    for table in LISTING_TABLES:
        op.execute(f"CREATE TRIGGER {table}_listings_version "
                   f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_listings_version()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in LISTING_TABLES:
            op.execute(f"DROP TRIGGER {table}_listings_version ON {table}")
        op.execute("DROP FUNCTION bump_listings_version()")
    else:
        for table in LISTING_TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_{event}_listings_version")
    op.drop_table('listings_version')

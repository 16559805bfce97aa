"""The migrations are the schema: one head, and the models agree with them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate

from webapp.extensions import db


def test_there_is_a_single_alembic_head(app):
    config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_models_and_migrations_agree(database):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrate_extension_is_bound_to_the_project_migrations(app):
    assert isinstance(app.extensions["migrate"].migrate, Migrate)
    assert app.extensions["migrate"].directory.endswith("migrations")

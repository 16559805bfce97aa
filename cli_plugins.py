"""`flask` commands that need no app, found before the app is built.

Flask's CLI loads the `flask.commands` entry points (pyproject.toml) before it builds
the app, and a click command without an app context then runs without building it at
all: `flask risk score` starts in a fraction of the time it takes to build the web app
(SQLAlchemy, the models, Alembic, every blueprint).

This module imports nothing of `webapp` until a `risk` command is asked for: `flask`
loads every plugin before every command (`flask db`, `flask routes`…), and importing
`webapp` here would fix which copy of it those commands then use.
"""

import importlib

import click

RISK_HELP = "Fracture-risk tools for GP practices."


class _GroupImportedWhenUsed(click.Group):
    """A click group whose commands come from `module:name`, imported when first needed."""

    def __init__(self, name: str, target: str, **options) -> None:
        super().__init__(name, **options)
        self._target = target

    def _group(self) -> click.Group:
        module, _, name = self._target.partition(":")
        return getattr(importlib.import_module(module), name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._group().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._group().get_command(ctx, cmd_name)


risk_cli = _GroupImportedWhenUsed("risk", "webapp.cli.risk:risk_cli", help=RISK_HELP)

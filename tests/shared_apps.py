"""One app per database backend, reused by the tests and reset before each one.

Building an app costs about a third of a second (Werkzeug compiles code for
every URL rule), more than most tests themselves. So the `app` fixture reuses
one app per backend, and before each test puts back everything a test may
change on it: the config, `app.extensions` (its caches emptied), the Jinja
globals and filters, the logging set-up, and Flask's "first request served"
flag (a fresh app accepts new routes and hooks until it serves a request). A
test that changes the app's shape instead (a new route, hook or error handler)
leaves it behind: the next test gets a newly built app, so nothing leaks from
one test into another.
"""

import copy

from flask import Flask

from webapp import create_app, init_logging
from webapp.extensions import db


class SharedApp:
    """An app, a snapshot of its state when built, and the way back to it."""

    def __init__(self, config_class, bytecode_cache) -> None:
        self.app = create_app(config_class)
        self.app.jinja_env.bytecode_cache = bytecode_cache
        self._config = copy.deepcopy(dict(self.app.config))
        self._extensions = dict(self.app.extensions)
        # Extensions kept as plain dicts are caches (webapp/rendering.py's kept HTML):
        # each test starts with them as a new app has them.
        self._caches = {
            name: dict(value) for name, value in self.app.extensions.items()
            if isinstance(value, dict)
        }  # fmt: skip
        self._jinja = [dict(table) for table in _jinja_tables(self.app)]
        self._shape = _shape(self.app)

    def reset(self) -> Flask:
        """Put the app back as it was built, ready for the next test."""
        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self._config))
        _replace(app.extensions, self._extensions)
        for name, saved in self._caches.items():
            _replace(app.extensions[name], saved)
        for table, saved in zip(_jinja_tables(app), self._jinja, strict=True):
            _replace(table, saved)
        init_logging(app)
        # A fresh app accepts routes and hooks until it serves its first request;
        # some tests add a route (and leave the app changed, see `changed`).
        app._got_first_request = False
        return app

    def changed(self) -> bool:
        """Whether a test changed the app's routes, hooks or handlers."""
        return _shape(self.app) != self._shape

    def dispose(self) -> None:
        """Close the app's database connections."""
        with self.app.app_context():
            db.engine.dispose()


def _replace(target: dict, saved: dict) -> None:
    target.clear()
    target.update(saved)


def _jinja_tables(app: Flask) -> tuple[dict, ...]:
    env = app.jinja_env
    return env.globals, env.filters, env.tests


def _shape(app: Flask) -> tuple:
    """What a test could add to an app beyond its config: routes, hooks, handlers."""
    rules = tuple((rule.rule, rule.endpoint, tuple(sorted(rule.methods or ())))
                  for rule in app.url_map.iter_rules())  # fmt: skip
    hooks = tuple(
        _frozen(getattr(app, name))
        for name in (
            "view_functions", "before_request_funcs", "after_request_funcs",
            "teardown_request_funcs", "teardown_appcontext_funcs",
            "template_context_processors", "url_value_preprocessors",
            "url_default_functions", "blueprints", "shell_context_processors",
        )
    )  # fmt: skip
    # Flask fills this table of defaultdicts with empty entries as it looks handlers up.
    handlers = _frozen({
        blueprint: {code: dict(by_class) for code, by_class in codes.items() if by_class}
        for blueprint, codes in app.error_handler_spec.items()
        if any(codes.values())
    })  # fmt: skip
    return rules, hooks, handlers, tuple(app.cli.commands), tuple(app.url_build_error_handlers)


def _frozen(value):
    """A comparable copy of nested dicts and lists of callables (compared by identity)."""
    if isinstance(value, dict):
        return tuple((repr(key), _frozen(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return id(value)

"""The self-check's page tests share compiled templates between apps.

Every test builds a fresh app, and compiling the NHS.UK macros costs most of a second
each time; a bytecode cache shared by the session makes that a one-off.
"""

import pytest
from jinja2 import FileSystemBytecodeCache


@pytest.fixture(scope="session")
def _template_cache(tmp_path_factory):
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))


@pytest.fixture
def app(app, _template_cache):
    app.jinja_env.bytecode_cache = _template_cache
    return app

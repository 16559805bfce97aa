"""`flask risk` is a Flask CLI plugin: found and run without building the web app."""

import json
import subprocess
import sys
import tomllib
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import FlaskGroup

from webapp.cli.risk import risk_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
# What building the app imports and `flask risk` must not.
APP_ONLY_MODULES = (
    "wsgi", "config", "webapp.models", "webapp.blueprints", "sqlalchemy", "flask_sqlalchemy",
    "flask_migrate", "alembic", "icalendar", "wtforms", "twilio",
)  # fmt: skip


def the_entry_point() -> EntryPoint:
    with open(REPO_ROOT / "pyproject.toml", "rb") as source:
        project = tomllib.load(source)["project"]
    (name, value), = project["entry-points"]["flask.commands"].items()
    return EntryPoint(name=name, value=value, group="flask.commands")


def flask_without_an_app() -> FlaskGroup:
    """`flask` as its console script builds it, with our plugin and an app that fails to build."""

    def no_app():
        raise AssertionError("the app was built")

    cli = FlaskGroup(create_app=no_app)
    entry_point = the_entry_point()
    cli.add_command(entry_point.load(), entry_point.name)
    return cli


def test_the_plugin_is_the_risk_group_with_its_commands():
    plugin = the_entry_point().load()

    assert the_entry_point().name == "risk"
    assert plugin.help == risk_cli.help
    assert plugin.list_commands(None) == risk_cli.list_commands(None) == ["score"]
    assert plugin.get_command(None, "score") is risk_cli.get_command(None, "score")


def test_flask_risk_score_runs_without_building_the_app(tmp_path):
    practice_list = tmp_path / "list.csv"
    practice_list.write_text("id,sex,age,bmi\nP1,F,70,24\nP2,F,29,24\n", encoding="utf-8")

    result = CliRunner().invoke(
        flask_without_an_app(), ["risk", "score", str(practice_list), "-o", str(tmp_path / "o.csv")]
    )

    assert result.exit_code == 0, result.output
    assert "Rows read: 2; scored: 1; refused: 1" in result.stderr
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").count("\n") == 3


def test_flask_risk_help_lists_score_without_building_the_app():
    result = CliRunner().invoke(flask_without_an_app(), ["risk", "--help"])

    assert result.exit_code == 0, result.output
    assert "Fracture-risk tools for GP practices." in result.output
    assert "score" in result.output


def test_loading_the_plugin_imports_nothing_of_the_app():
    """`flask` loads every plugin before every command: the plugin imports no `webapp` (so
    `flask db` still uses the app of the folder it runs in), and `flask risk` only its own."""
    code = (
        "import json, sys\n"
        "from importlib.metadata import EntryPoint\n"
        f"plugin = EntryPoint('risk', {the_entry_point().value!r}, 'flask.commands').load()\n"
        "print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] == 'webapp')))\n"
        "plugin.get_command(None, 'score')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    on_load, after_finding_score = run.stdout.splitlines()

    assert json.loads(on_load) == []
    imported = set(json.loads(after_finding_score))
    assert "webapp.cli.risk" in imported
    assert not [name for name in APP_ONLY_MODULES if name in imported]
    assert not {"numpy", "pyarrow"} & imported  # imported when the command runs, not before


@pytest.mark.parametrize(
    "rows",
    [
        "P1,F,70,24\nP2,F,29,24\nP3,M,80\nP4,M,81,31.5\n",  # one row short of a cell
        'P1,F,70,24\nP2,F,29,24\n"P3\nagain",M,80\nP4,M,81,31.5\n',  # a cell over two lines
    ],
)
def test_a_run_imports_neither_numpy_ma_nor_pyarrow_compute(tmp_path, rows):
    """Arrow is reached without the modules a run never uses (webapp/risk/arrow_arrays.py):
    numpy.ma, which Arrow imports to look for a masked array when given an ndarray, and
    pyarrow.compute, which builds a wrapper for every one of Arrow's functions."""
    practice_list = tmp_path / "list.csv"
    practice_list.write_text(f"id,sex,age,bmi\n{rows}", encoding="utf-8")
    code = (
        "import sys\n"
        "from webapp.risk.casefinding import score_practice_list\n"
        "from webapp.risk.report import DEFAULT_CUT_OFFS, ReportTally\n"
        "report = ReportTally(DEFAULT_CUT_OFFS)\n"
        "summary = score_practice_list(sys.argv[1], sys.argv[2], report=report)\n"
        "print(summary.rows_scored, sorted({'numpy.ma', 'pyarrow.compute'} & set(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(practice_list), str(tmp_path / "o.csv")],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip

    assert run.stdout.split() == ["2", "[]"]

"""docs/clinical/adherence.md keeps step with the code (fast, unit): every constant with its
value, every worklist reason with a rule, every source key it cites listed in its table."""

import importlib
import re
from datetime import timedelta
from pathlib import Path

from webapp.adherence.facts import Reason

DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical" / "adherence.md"


def _section(title: str) -> str:
    return DOC.read_text(encoding="utf-8").split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def _rows(title: str) -> list[list[str]]:
    """The cells of a section's table, its heading row left out."""
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in _section(title).splitlines()
        if line.startswith("| ")
    ][1:]


def _shown(value) -> str:
    if isinstance(value, timedelta):
        return f"{value.days} days"
    if isinstance(value, tuple):
        return " to ".join(str(part) for part in value)
    return str(value)


def test_every_constant_in_the_doc_has_that_value_in_the_code():
    rows = _rows("Constants in the code")
    assert len(rows) >= 17
    for name, value, where, _rule in rows:
        module = importlib.import_module(where.strip("`").removesuffix(".py").replace("/", "."))
        assert _shown(getattr(module, name.strip("`"))) == value, name


def test_every_worklist_reason_has_a_rule_in_the_doc():
    listed = {row[0].strip("`") for row in _rows("The worklist")}
    assert listed == {reason.value for reason in Reason}


def test_every_source_cited_is_listed_and_awaits_sign_off():
    doc = DOC.read_text(encoding="utf-8")
    keys = {row[0] for row in _rows("Sources")}
    cited = set()
    for title in ("How each kind of dose covers days", "PDC, persistence and reply rate",
                  "FLS-DB KPIs 9, 10 and 11", "The worklist"):  # fmt: skip
        for row in _rows(title):
            cited |= set(re.findall(r"\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)+\b|\bCATALOGUE\b",
                                    row[-2]))  # fmt: skip
    assert cited and cited <= keys
    assert "awaiting clinical sign-off" in doc

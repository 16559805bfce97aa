"""Every clinical sentence in advice.py is traced to a source in docs/clinical/advice.md."""

from pathlib import Path

from webapp.selfcheck import advice

ADVICE_DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical" / "advice.md"


def _constants():
    return [name for name in vars(advice) if name.isupper()]


def test_every_advice_constant_has_a_line_in_the_clinical_doc():
    doc = ADVICE_DOC.read_text(encoding="utf-8")
    untraced = [name for name in _constants() if f"`{name}`" not in doc]
    assert untraced == []


def test_the_doc_lists_no_constant_that_no_longer_exists():
    doc = ADVICE_DOC.read_text(encoding="utf-8")
    table_names = {
        line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")
    }
    assert table_names <= set(_constants())


def test_the_helpline_number_and_its_link_agree():
    assert advice.ROS_HELPLINE_TEL == "tel:" + advice.ROS_HELPLINE.replace(" ", "")

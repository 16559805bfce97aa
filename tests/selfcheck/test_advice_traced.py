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


def test_the_helpline_hours_sentence_names_the_linked_website_once():
    """The page makes those words the link, so they must be in the sentence exactly once."""
    assert advice.HELPLINE_HOURS.count(advice.READ_ROS_WEBSITE.text) == 1


def test_every_read_more_link_is_to_a_trusted_site_over_https():
    links = [value for value in vars(advice).values() if isinstance(value, advice.Link)]
    assert len(links) == 5
    for link in links:
        assert link.url.startswith(("https://www.nhs.uk/", "https://theros.org.uk")), link

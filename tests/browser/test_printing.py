"""The result page and the GP summary as Chromium prints them, read back from the PDF it makes.

Chromium's tagged PDF marks each picture (an <svg role="img">) as a Figure in the
document's structure, with each piece of it on the page it was drawn on, so a
picture split across two pages shows as one Figure on two pages. The result page's
pictures are moved to the top of the page under a spacer whose height is measured
so that the first page break falls through them, just above them, and just below
them in turn; each time, every picture must be on one page with its words, its
count and the key.
"""

import io
import re

import pytest
from flask import url_for
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tests.selfcheck.examples import complete_answers
from webapp.selfcheck.answers import fingerprint

pytestmark = pytest.mark.browser

# A4 with 20mm margins all round, in CSS pixels (96 to the inch).
MARGIN = "20mm"
PAGE_WIDTH = round((210 - 40) / 25.4 * 96)
PAGE_HEIGHT = (297 - 40) / 25.4 * 96

# Links of every kind a page might carry, put into <main> before printing.
LINKS_OF_EVERY_KIND = """() => {
    const paragraph = document.createElement('p');
    paragraph.id = 'links-of-every-kind';
    for (const [href, words] of [['#main-content', 'Within the page'],
            ['javascript:void(0)', 'A script'], ['/groups/', 'On this site'],
            ['tel:08088000035', '0808 800 0035'], ['https://www.nhs.uk/', 'NHS website']]) {
        const link = document.createElement('a');
        link.href = href;
        link.textContent = words;
        paragraph.append(link, ' ');
    }
    document.querySelector('main').prepend(paragraph);
}"""
# The pictures (each with its heading, words and count) and their key moved to the top of
# <main>, under a spacer of the given height: no break can come before them to move them.
PICTURES_FIRST = """height => {
    const main = document.querySelector('main');
    const spacer = document.createElement('div');
    spacer.style.height = height + 'px';
    const key = document.querySelector('.bonecheck-icon-key');
    main.prepend(spacer, document.querySelector('.bonecheck-risks'), ...(key ? [key] : []));
}"""
# A woman of 74 with a broken wrist and a fall: both risks well above "no one coloured in".
ANSWERS = complete_answers(age=74, broken_bones="yes", falls="yes")


@pytest.fixture(scope="module")
def paths(live_app):
    with live_app.test_request_context():
        return {"result": url_for("selfcheck.result"), "summary": url_for("selfcheck.summary")}


def _open_confirmed(live_app, live_server, page, path: str) -> None:
    """Open `path` with confirmed answers in the session, as "Check your answers" leaves them."""
    client = live_app.test_client()
    with client.session_transaction() as session:
        session["check"] = ANSWERS
        session["check_confirmed"] = fingerprint(ANSWERS)
    name = live_app.config["SESSION_COOKIE_NAME"]
    page.context.add_cookies(
        [{"name": name, "value": client.get_cookie(name).value, "url": live_server}])
    page.goto(path)


def _print(page) -> bytes:
    return page.pdf(format="A4", tagged=True, margin=dict.fromkeys(
        ("top", "right", "bottom", "left"), MARGIN))  # fmt: skip


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _figure_pages(pdf: bytes) -> list[set[int]]:
    """For each Figure in the PDF's structure, the numbers of the pages it is drawn on."""
    reader = PdfReader(io.BytesIO(pdf))
    numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    figures = []

    def walk(node, page):
        page = _page_of(node, page, numbers)
        if node.get("/S") == "/Figure":
            found = set()
            _marked_pages(node, page, numbers, found)
            figures.append(found)
            return
        for child in _children(node):
            if isinstance(child, DictionaryObject):
                walk(child, page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return figures


def _children(node) -> list:
    kids = node.get("/K")
    kids = [] if kids is None else kids if isinstance(kids, ArrayObject) else [kids]
    return [kid.get_object() for kid in kids]


def _page_of(node, page, numbers):
    """The page a structure element names (/Pg), else the page its parent was on."""
    reference = node.raw_get("/Pg") if "/Pg" in node else None
    return numbers.get(reference.idnum) if isinstance(reference, IndirectObject) else page


def _marked_pages(node, page, numbers, found: set) -> None:
    """Add to `found` every page some marked content under `node` is drawn on."""
    if not isinstance(node, DictionaryObject):
        found.add(page)  # a bare marked-content id, on its parent's page
        return
    page = _page_of(node, page, numbers)
    if "/MCID" in node:
        found.add(page)
    for child in _children(node):
        _marked_pages(child, page, numbers, found)


# Where the first picture and what follows the pictures sit, below the spacer.
PICTURE_PLACES = """() => {
    const picture = document.querySelector('main svg[role=img]');
    const top = element => element.getBoundingClientRect().top + window.scrollY;
    const bottom = element => element.getBoundingClientRect().bottom + window.scrollY;
    const after = document.querySelector('.bonecheck-icon-key') || picture.nextElementSibling;
    return {top: top(picture), bottom: bottom(picture),
            after_top: top(after), after: bottom(after)};
}"""
# Each picture's words (the paragraph before it) and count (after it), and the key's first line.
PICTURES_AND_WORDS = """() => [...document.querySelectorAll('main svg[role=img]')].map(
    picture => [picture.previousElementSibling.textContent, picture.nextElementSibling.textContent,
                document.querySelector('.bonecheck-icon-key li')?.textContent ?? ''])"""


def _page_breaks_to_try(page, result_path: str) -> dict[str, float]:
    """Spacer heights that put the first page break through the pictures, just above them,
    just above their bottom edge and through their key's first line, measured in the print
    layout at the printed page's width."""
    page.set_viewport_size({"width": PAGE_WIDTH, "height": 800})
    page.emulate_media(media="print")
    page.evaluate(PICTURES_FIRST, 0)
    at = page.evaluate(PICTURE_PLACES)
    assert at["top"] < at["bottom"] < at["after"] < PAGE_HEIGHT, at
    page.goto(result_path)
    return {
        "through the pictures": PAGE_HEIGHT - (at["top"] + at["bottom"]) / 2,
        "just above the pictures": PAGE_HEIGHT - at["top"] - 2,
        "just below the pictures": PAGE_HEIGHT - at["bottom"] - 2,
        "through the key's first line": PAGE_HEIGHT - at["after_top"] - 8,
    }


def _page_with(pages: list[str], words: str) -> int | None:
    """The one page `words` are printed on whole; None if on none, or split, or repeated."""
    words = " ".join(words.split())
    found = [number for number, text in enumerate(pages) if words in text]
    return found[0] if len(found) == 1 else None


def test_the_printed_result_never_splits_a_picture_or_parts_it_from_its_words(
        live_app, live_server, page, paths):  # fmt: skip
    _open_confirmed(live_app, live_server, page, paths["result"])
    for where, height in _page_breaks_to_try(page, paths["result"]).items():
        page.evaluate(PICTURES_FIRST, height)
        parts = page.evaluate(PICTURES_AND_WORDS)
        pdf = _print(page)
        page.goto(paths["result"])
        pages = [" ".join(each.extract_text().split()) for each in PdfReader(io.BytesIO(pdf)).pages]
        figures = _figure_pages(pdf)
        assert len(figures) == len(parts) == 2, (where, figures)  # two pictures of 100 people
        for figure_pages, texts in zip(figures, parts, strict=True):
            assert len(figure_pages) == 1, f"a picture split across pages ({where})"
            for text in texts:
                assert _page_with(pages, text) in figure_pages, (
                    f"a picture parted from {text!r} ({where})")


@pytest.mark.parametrize("name", ["result", "summary"])
def test_printing_shows_addresses_only_for_web_links(live_app, live_server, page, paths, name):
    _open_confirmed(live_app, live_server, page, paths[name])
    page.evaluate(LINKS_OF_EVERY_KIND)
    text = _text(_print(page))
    assert ("Within the page A script On this site 0808 800 0035 NHS website (https://www.nhs.uk/)"
            in text)
    assert "(Link:" not in text and "javascript" not in text, re.findall(r"\(Link:[^)]*\)", text)
    assert "Skip to main content" not in text and "Back to your" not in text
    assert "QFracture-2012" in text


def test_the_printed_summary_has_the_figures_and_no_download_link(live_app, live_server, page,
                                                                  paths):
    _open_confirmed(live_app, live_server, page, paths["summary"])
    figures = page.locator(".bonecheck-for-clinician dd").all_inner_texts()
    download = re.compile(r"^Download this summary \(PDF, under \d+KB\)$")
    assert page.get_by_role("link", name=download).count() == 1
    text = _text(_print(page))
    assert "Download this summary" not in text and "Print this page" not in text
    for figure in figures[:3]:  # the two risks as percentages, and the BMI
        assert " ".join(figure.split()) in text

"""The GP summary as a PDF: read back, it carries the figures, the BMI and the model."""

import io
import logging
import socket
import sys

import pytest
from pypdf import PdfReader

from tests.blueprints.selfcheck.journey import (
    complete_answers,
    confirm_answers,
    give_answers,
    see_result,
    url,
)
from tests.pages import get_page
from webapp.blueprints.selfcheck import views
from webapp.blueprints.selfcheck.views import SUMMARY_PDF_AT_MOST, pdf_can_be_drawn
from webapp.clock import uk_today
from webapp.formatting import file_size
from webapp.pdf import LocalFiles, LocalOnlyFetcher, RefusedAddress, page_as_pdf
from webapp.selfcheck.answers import (
    ALCOHOL_CHOICES,
    CHOICES_FOR,
    ETHNICITY_CHOICES,
    SMOKING_CHOICES,
    choices_for_sex,
)


def _download(client):
    response = client.get(url("summary.pdf"))
    assert response.status_code == 200, response.status_code
    return response


def _text(pdf: bytes) -> str:
    """Every page's text, with runs of spaces and line breaks made single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _clinician_rows(page) -> dict[str, str]:
    rows = page.select(".bonecheck-for-clinician .nhsuk-summary-list__row")
    return {row.dt.get_text(strip=True): " ".join(row.dd.get_text().split()) for row in rows}


def test_the_pdf_has_both_figures_the_bmi_and_the_model_as_the_page_shows_them(client):
    see_result(client, age={"age": "74"}, broken_bones={"broken_bones": "yes"})
    shown = _clinician_rows(get_page(client, url("summary")))
    text = _text(_download(client).data)
    major, hip = shown["Major osteoporotic fracture, 10 years"], shown["Hip fracture, 10 years"]
    assert major.endswith("%") and hip.endswith("%") and major != hip
    assert f"Major osteoporotic fracture, 10 years {major}" in text
    assert f"Hip fracture, 10 years {hip}" in text
    bmi = shown["Body mass index (BMI)"].split(",")[0]
    assert bmi == f"{68 / 1.65**2:.1f}"
    assert f"Body mass index (BMI) {bmi}, from the height and weight below" in text
    assert "QFracture-2012" in text
    assert f"{uk_today().day} {uk_today():%B %Y}" in text
    assert "It is the responsibility of anyone using it" in text  # ClinRisk's disclaimer


def test_the_pdf_is_a_download_with_a_dated_name_kept_in_no_cache(client):
    see_result(client)
    response = _download(client)
    assert response.mimetype == "application/pdf"
    filename = f"bone-health-check-summary-{uk_today().isoformat()}.pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"%PDF-")


def test_the_pdf_is_tagged_titled_and_in_english(client):
    see_result(client)
    reader = PdfReader(io.BytesIO(_download(client).data))
    catalog = reader.trailer["/Root"]
    assert reader.metadata.title == "Bone health check summary – BoneCheck"
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert "/StructTreeRoot" in catalog


def test_the_pdf_leaves_out_what_paper_cannot_use(client):
    see_result(client)
    text = _text(_download(client).data)
    assert "Print this page" not in text and "Download this summary" not in text
    assert "Back to your result" not in text
    assert "(Link: #" not in text and "Skip to main content" not in text


def test_the_summary_links_to_the_pdf_with_its_type_and_most_it_can_weigh(client):
    see_result(client)
    page = get_page(client, url("summary"))
    link = page.find("a", href=url("summary.pdf"))
    assert link.get_text() == f"Download this summary (PDF, under {SUMMARY_PDF_AT_MOST // 1024}KB)"
    assert link["type"] == "application/pdf" and link.has_attr("download")
    assert "bonecheck-no-print" in link.parent["class"]


def _longest_answers(ethnicity: str) -> dict:
    """A woman of 74 who answered yes to everything offered to her, every box ticked."""
    return complete_answers(
        age=74, smoking=SMOKING_CHOICES[-1].value, alcohol=ALCOHOL_CHOICES[-1].value,
        ethnicity=ethnicity, broken_bones="yes", parent_hip_fracture="yes", falls="yes",
        steroids="yes", diabetes="type1_diabetes", height={"cm": 181.6}, weight={"kg": 101.6},
        **{question: [choice.value for choice in choices_for_sex(choices, "female")]
           for question, choices in CHOICES_FOR.items()},
    )  # fmt: skip


@pytest.mark.parametrize("ethnicity", [ETHNICITY_CHOICES[0].value, ETHNICITY_CHOICES[-1].value])
def test_the_pdf_of_the_longest_answers_weighs_less_than_the_link_says(client, ethnicity):
    give_answers(client, _longest_answers(ethnicity))
    confirm_answers(client)
    pdf = _download(client).data
    assert "Rheumatoid arthritis or lupus" in _text(pdf)  # every answer is in it
    assert len(pdf) < SUMMARY_PDF_AT_MOST


@pytest.mark.parametrize(
    ("size", "words"),
    [(1, "1KB"), (1024, "1KB"), (1025, "2KB"), (855_798, "836KB"), (1024 * 1024 - 1, "1.00MB"),
     (1024 * 1024, "1.00MB"), (1024 * 1024 + 1, "1.01MB"), (2_600_000, "2.48MB")],
)  # fmt: skip
def test_file_sizes_are_rounded_up_as_the_nhs_content_guide_asks(size, words):
    assert file_size(size) == words


def test_once_the_answers_are_gone_the_pdf_link_says_so(client):
    response = client.get(url("summary.pdf"))
    assert response.status_code == 302 and response.headers["Location"] == url("ended")
    give_answers(client, complete_answers())  # answered but not yet confirmed
    assert client.get(url("summary.pdf")).headers["Location"] == url("check-your-answers")


def test_without_weasyprint_the_summary_is_offered_without_a_pdf(client, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "webapp.pdf", None)  # importing it now fails
    with caplog.at_level(logging.ERROR):
        assert pdf_can_be_drawn.__wrapped__() is False
    assert "PDFs cannot be drawn here" in caplog.text
    monkeypatch.setattr(views, "pdf_can_be_drawn", lambda: False)
    see_result(client)
    page = get_page(client, url("summary"))
    assert page.find("a", href=url("summary.pdf")) is None
    assert page.select_one(".bonecheck-for-clinician")


def test_if_a_pdf_cannot_be_drawn_the_download_leads_to_the_summary(client, monkeypatch, caplog):
    def broken(html, page_url):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr("webapp.pdf.page_as_pdf", broken)
    see_result(client)
    with caplog.at_level(logging.ERROR):
        response = client.get(url("summary.pdf"))
    assert response.status_code == 302 and response.headers["Location"] == url("summary")
    assert "could not be drawn as a PDF" in caplog.text


# Drawing reaches nothing but this service's own files ------------------------------------------
@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a network connection, recorded and refused."""
    attempts = []

    def refuse(sock, address):
        attempts.append(address)
        raise OSError("no network while drawing a PDF")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


HOSTILE_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Hostile</title>
<link rel="stylesheet" href="https://fonts.example.com/remote.css">
<link rel="stylesheet" href="/static/css/bonecheck.css">
<style>@font-face { font-family: Remote; src: url(https://fonts.example.com/f.woff2) }
 body { font-family: Remote, sans-serif; background: url(http://127.0.0.1:9/track.png) }</style>
</head><body><h1>Hostile</h1><img src="file:///etc/passwd" alt="">
<img src="//example.com/pixel.png" alt=""><img src="/static/../../config.py" alt="">
<img src="/static/images/bonecheck-logo.svg" alt="BoneCheck"></body></html>"""


def test_drawing_a_pdf_opens_no_connection_and_reads_only_our_files(app, no_network, caplog):
    with app.test_request_context("/check/summary"), caplog.at_level(logging.WARNING):
        pdf = page_as_pdf(HOSTILE_PAGE, "http://localhost/check/summary")
    assert no_network == []
    assert "Hostile" in _text(pdf)
    refused = [r.url for r in caplog.records if r.name == "webapp.pdf"]
    assert sorted(refused) == sorted([
        "https://fonts.example.com/remote.css", "https://fonts.example.com/f.woff2",
        "http://127.0.0.1:9/track.png", "file:///etc/passwd", "http://example.com/pixel.png",
        "http://localhost/config.py",
    ])  # fmt: skip


def test_the_fetcher_serves_our_stylesheets_and_images_and_refuses_the_rest(app):
    with app.test_request_context("/check/summary"):
        fetcher = LocalOnlyFetcher(LocalFiles("http://localhost/check/summary"), ready_made=set())
        css = fetcher.fetch("http://localhost/static/css/bonecheck.css").read()
        assert b".bonecheck-print-only" in css
        logo = fetcher.fetch("http://localhost/static/images/bonecheck-logo.svg")
        assert logo.content_type == "image/svg+xml"
        design = fetcher.files.read_text("http://localhost/assets/nhsuk-frontend.min.css")
        assert "@media print" in design and "@font-face" not in design
        for address in ["http://localhost.example.com/static/css/bonecheck.css",
                        "https://localhost/static/css/bonecheck.css",
                        "http://localhost/static/../config.py", "http://localhost/check/result",
                        "http://localhost/static/", "data:text/css,body{}"]:  # fmt: skip
            with pytest.raises(RefusedAddress):
                fetcher.fetch(address)

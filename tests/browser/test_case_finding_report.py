"""The case-finding report as Chromium opens and prints it: offline, accessible, on A4.

The page is a file someone opens from an email or a shared drive, so it is loaded from
disk in a context with the network switched off: anything it tried to fetch would fail
and be recorded here.
"""

import io
from datetime import datetime

from pypdf import PdfReader

from tests.browser.axe import axe_violations, describe_violations
from tests.risk.report_list import hundred_times
from webapp.risk.report import render_report

A4_POINTS = (595, 842)  # 210 x 297 mm, rounded down


def open_report(browser, tmp_path):
    """The hand-worked report written to disk and opened offline; (page, requests, context)."""
    path = tmp_path / "report.html"
    path.write_text(
        render_report(
            hundred_times(), list_name="Riverside PCN", generated_at=datetime(2026, 12, 1)
        ),
        encoding="utf-8",
    )
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return page, requests, context


def test_the_report_opens_offline_fetches_nothing_and_passes_axe(browser, tmp_path):
    page, requests, context = open_report(browser, tmp_path)
    try:
        assert requests == [page.url]  # the file itself, nothing else
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        page.emulate_media(media="print")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
    finally:
        context.close()


def test_the_report_prints_on_a4_with_every_section(browser, tmp_path):
    page, _, context = open_report(browser, tmp_path)
    try:
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    finally:
        context.close()
    sizes = {(int(p.mediabox.width), int(p.mediabox.height)) for p in pdf.pages}
    assert sizes == {A4_POINTS}
    assert len(pdf.pages) <= 10
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for heading in (
        "Rows read, scored and refused",
        "Who NICE CG146 suggests assessing",
        "At or above the cut-offs",
        "How the risks spread",
        "Previous fractures and treatment",
        "Estimate: fractures that treatment could prevent over 10 years",
        "Sources",
    ):
        assert heading in text

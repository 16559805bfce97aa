"""A page of this service as a PDF file, drawn by WeasyPrint from the page's own HTML and
print stylesheet, so the file a person downloads matches the page they would print.

Drawing happens on the server, so it must never reach out to the network: a remote font or
image would be a request from our server to wherever the page pointed. The URL fetcher
reads only this service's own stylesheets and images from disk and refuses every other
address. The design system's stylesheet is always read without its @font-face rules (as an
unbranded page is served it): the NHS web font lives on another server, and Arial (or its
metric twin Liberation Sans) is the design system's own fallback.

Parsing the two stylesheets is most of the drawing time, so each is parsed once a process
(keyed by its text, so an edited file is parsed again) and handed to WeasyPrint ready-made.

WeasyPrint takes about a second to import, so views import this module when they first
draw a PDF, not at start-up.
"""

import functools
import logging
import mimetypes
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from flask import current_app
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from webapp.blueprints.assets import STYLESHEET, without_nhs_font

log = logging.getLogger(__name__)
# WeasyPrint warns about every CSS rule it does not draw (the design system's high-contrast
# media queries, `fill`, `::backdrop`…), once a stylesheet, on every process: expected, and
# nothing anyone can act on. Its errors still reach the log; refused addresses are ours.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

# Parsed stylesheets kept: the design system's and ours, with room for an edited copy of each.
KEPT_STYLESHEETS = 8


class RefusedAddress(ValueError):
    """A page asked for something that is not one of this service's own files."""


def page_as_pdf(html: str, page_url: str) -> bytes:
    """The PDF of `html`, a page this service drew for `page_url`, as the print view shows it.

    The PDF is tagged (headings, lists and paragraphs are marked for screen readers) and
    takes its title and language from the page's <title> and <html lang>.
    """
    files = LocalFiles(page_url)
    stylesheets = {}
    for url in (urljoin(page_url, href) for href in linked_stylesheets(html)):
        try:
            stylesheets[url] = _parsed_stylesheet(files.read_text(url), url)
        except RefusedAddress:
            pass  # not ours: the fetcher refuses it as well, and logs it
    fetcher = LocalOnlyFetcher(files, ready_made=set(stylesheets))
    document = HTML(string=html, base_url=page_url, url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=list(stylesheets.values()), pdf_tags=True)


class LocalFiles:
    """This service's stylesheets and images, found on disk from their addresses."""

    def __init__(self, page_url: str):
        parts = urlsplit(page_url)
        self.origin = (parts.scheme, parts.netloc)
        self.folders = {
            current_app.static_url_path + "/": current_app.static_folder,
            "/assets/": current_app.config["NHSUK_FRONTEND_DIST"],
        }

    def path(self, url: str) -> Path:
        """The file on disk for `url`; RefusedAddress for anything that is not ours."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == self.origin:
            for prefix, folder in self.folders.items():
                if folder and parts.path.startswith(prefix):
                    found = safe_join(folder, parts.path.removeprefix(prefix))
                    if found and Path(found).is_file():
                        return Path(found)
        raise RefusedAddress(f"not one of this service's own files: {url[:200]}")

    def read_text(self, url: str) -> str:
        """A stylesheet's text; the design system's without its web fonts."""
        path = self.path(url)
        if path.name == STYLESHEET:
            return without_nhs_font(str(path))
        return path.read_text(encoding="utf-8")


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, reading this service's own files and refusing the rest."""

    def __init__(self, files: LocalFiles, ready_made: set[str]):
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.files = files
        self.ready_made = ready_made

    def fetch(self, url, headers=None):
        """The file at `url` from disk, or RefusedAddress (WeasyPrint then leaves it out)."""
        if url in self.ready_made:
            # Parsed already and passed to write_pdf in the page's order, so the <link>
            # itself adds nothing and the cascade is the page's own.
            return URLFetcherResponse(url, "", {"Content-Type": "text/css"})
        try:
            path = self.files.path(url)
        except RefusedAddress:
            log.warning("A PDF asked for an address that is not ours; left out",
                        extra={"url": url[:200]})  # fmt: skip
            raise
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mimetype})


@functools.lru_cache(maxsize=KEPT_STYLESHEETS)
def _parsed_stylesheet(text: str, url: str) -> CSS:
    return CSS(string=text, base_url=url, media_type="print")


class _StylesheetLinks(HTMLParser):
    """Collects the stylesheets a page links to that apply to print, in order."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower().split()
        media = (attributes.get("media") or "all").lower()
        if tag == "link" and "stylesheet" in rel and attributes.get("href"):
            if "all" in media or "print" in media:
                self.hrefs.append(attributes["href"])


def linked_stylesheets(html: str) -> list[str]:
    """The addresses (as written) of the stylesheets `html` links to for print, in order."""
    links = _StylesheetLinks()
    links.feed(html)
    return links.hrefs

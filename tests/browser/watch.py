"""Records what goes wrong inside a browser page: CSP violations, script errors, broken files.

The strict Content-Security-Policy fails silently for a person (a blocked script
just does not run), so the browser tests listen for what Chromium logs and fail
on it, as they fail on an uncaught JavaScript error or a missing stylesheet.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Messages that are known and accepted, each with the reason. Keep this short:
# every entry hides something a person might notice.
KNOWN_PROBLEMS: dict[str, str] = {}

# Everything the page does after load is awaited before its problems are read:
# fonts settle (a blocked font is reported then) and two frames are painted.
SETTLE = """() => document.fonts.ready.then(
    () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))))"""


@dataclass
class PageWatch:
    """Collects the problems of every page in one browser context."""

    origin: str
    allow_known_problems: bool = True
    problems: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        """Listen to every page the context opens, now and later."""
        context.on("console", self._on_console)
        context.on("weberror", self._on_page_error)
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)

    def _on_console(self, message) -> None:
        text = message.text
        self.console.append(f"{message.type}: {text}")
        if self.allow_known_problems and any(known in text for known in KNOWN_PROBLEMS):
            return
        # Chromium words CSP reports "Loading … violates the following Content
        # Security Policy directive" (older versions: "Refused to load … because it
        # violates …"); "Refused to" alone is another block, such as a wrong MIME type.
        if "content security policy" in text.lower():
            self.problems.append(f"CSP violation: {text}")
        elif text.startswith("Refused to"):
            self.problems.append(f"refused by the browser: {text}")
        elif message.type == "error" and not text.startswith("Failed to load resource"):
            # Resource failures are judged by _on_response, which knows the URL.
            self.problems.append(f"console error: {text}")

    def _on_page_error(self, web_error) -> None:
        self.problems.append(f"JavaScript error: {web_error.error}")

    def _on_request_failed(self, request) -> None:
        # ERR_ABORTED is a request the browser gave up on itself, most often because
        # the page moved on (a favicon still loading when a form is sent); a file the
        # page really lacked is reported by _on_response or the console instead.
        if self._is_ours(request.url) and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _on_response(self, response) -> None:
        # The page itself may rightly be a 404 or 400; a file it needs may not.
        if response.status >= 400 and response.request.resource_type != "document":
            if self._is_ours(response.url):
                self.problems.append(f"HTTP {response.status} for {response.url}")

    def _is_ours(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.origin).netloc

    def settle(self, context) -> None:
        """Let every open page finish what it started, so late reports are heard."""
        for page in context.pages:
            if page.is_closed():
                continue
            page.wait_for_load_state()
            page.evaluate(SETTLE)

    def report(self) -> str:
        """The problems, one a line, for a test failure."""
        return "\n".join(f"  - {problem}" for problem in self.problems)

"""A WSGI app served on 127.0.0.1 in a background thread, for the tests that need a real
server (the browser tests, webhooks over HTTP)."""

import contextlib
import threading
from collections.abc import Iterator

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request (errors are still logged)."""

    def log_request(self, code="-", size="-"):
        pass


def closing_responses(app):
    """`app` with each response closed as soon as its last piece is sent.

    Werkzeug's development server closes a response only after reading what is left of
    the request, and a client that resets the connection then (Chromium leaving a page
    while its favicon is sent) makes that read raise first: the response's open file is
    left to the garbage collector, whose ResourceWarning fails whichever test is running.
    """

    def served(environ, start_response):
        response = app(environ, start_response)
        try:
            yield from response
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()

    return served


@contextlib.contextmanager
def live_server(app) -> Iterator[str]:
    """The base URL of `app` served on 127.0.0.1 at a free port, until the block ends."""
    server = make_server(
        "127.0.0.1", 0, closing_responses(app), threaded=True, request_handler=QuietRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()

"""A local HTTP server that speaks Twilio's Messages API, for tests and benchmarks.

The real `twilio` client talks to it exactly as it talks to api.twilio.com
(point `TWILIO_API_BASE_URL` at `start()`'s answer): form-encoded POSTs to
`/2010-04-01/Accounts/{AccountSid}/Messages.json` with basic auth, answered
201 with the JSON Twilio returns and a fresh `SM…` SID; the same URL with GET
lists messages, filtered by `To` and `DateSent>`, in pages.

Answers can be programmed: the next N sends answer 429, 500, or a 400 with a
Twilio error code (21211, 21610, 21614…), or stall longer than the client's
timeout; a number can be refused for good. Every request is recorded. It can
also send a correctly signed status callback for a message it received.

Several processes can share one server (two dispatchers, one fake): the
process that starts it reads its records directly, any other asks over HTTP
(`FakeTwilioRemote(base_url)`, or GET `/_test/messages` and POST
`/_test/answers`). Run it alone with `python -m tests.sms.fake_twilio`.
"""

import base64
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

from tests.sms.twilio_wire import (  # noqa: F401  (ACCOUNT_SID… are imported from here too)
    ACCOUNT_SID,
    API_VERSION,
    AUTH_TOKEN,
    FakeMessage,
    FakeTwilioRemote,
    error,
    missing_field,
    parse_date_sent,
    post_callback,
    segments,
    sign,
    single_values,
)

_MESSAGES_PATH = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages\.json$")


@dataclass
class ProgrammedAnswer:
    """What the next `count` sends answer instead of 201."""

    count: int
    status: int = 429
    code: int | None = None
    stall_seconds: float = 0.0  # answer only after this long (the message is still accepted)


@dataclass
class _State:
    messages: list[FakeMessage] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    answers: list[ProgrammedAnswer] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)


class FakeTwilio:
    """A Twilio-speaking server on 127.0.0.1 and a free port, run in a thread.

    `start()` returns its base URL; `stop()` ends it. Records are kept in this
    process; other processes use `FakeTwilioRemote` or the `/_test/` URLs.
    """

    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._state = _State()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- running -------------------------------------------------------------
    def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1 (a free port unless one is given) and return the base URL."""
        self._stopping.clear()
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="fake-twilio")
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving; stalled answers are cut short."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeTwilio":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- programming answers -------------------------------------------------
    def fail_next(self, count: int, status: int = 429, code: int | None = None) -> None:
        """The next `count` sends answer `status` (429, 500, 400…) with Twilio error `code`.

        Without a code, 429 carries 20429 and a 5xx 20500, as Twilio's do; a 400 needs one.
        """
        code = code or {429: 20429}.get(status, 20500 if status >= 500 else None)
        self._add_answer(ProgrammedAnswer(count=count, status=status, code=code))

    def refuse_next(self, count: int, code: int) -> None:
        """The next `count` sends answer 400 with Twilio error `code` (21211, 21610, 21614…)."""
        self._add_answer(ProgrammedAnswer(count=count, status=400, code=code))

    def stall_next(self, count: int, seconds: float) -> None:
        """The next `count` sends are accepted but answered only after `seconds`.

        Longer than the client's timeout, this is the send whose answer was lost:
        the message exists at "Twilio" though the client saw a timeout.
        """
        self._add_answer(ProgrammedAnswer(count=count, status=201, stall_seconds=seconds))

    def refuse_number(self, to: str, code: int) -> None:
        """Every send to `to` answers 400 with `code`, for as long as the server runs."""
        with self._lock:
            self._state.refused[to] = code

    def _add_answer(self, answer: ProgrammedAnswer) -> None:
        with self._lock:
            self._state.answers.append(answer)

    # -- what it received ----------------------------------------------------
    @property
    def messages(self) -> list[FakeMessage]:
        """Every message accepted, oldest first."""
        with self._lock:
            return list(self._state.messages)

    @property
    def requests(self) -> list[dict]:
        """Every request to the API (method, path, query, form, user, answered status)."""
        with self._lock:
            return [dict(request) for request in self._state.requests]

    def messages_to(self, to: str) -> list[FakeMessage]:
        """The messages accepted for one number."""
        return [message for message in self.messages if message.to == to]

    def count_by_recipient(self) -> dict[str, int]:
        """How many messages each number was sent."""
        counts: dict[str, int] = {}
        for message in self.messages:
            counts[message.to] = counts.get(message.to, 0) + 1
        return counts

    def reset(self) -> None:
        """Forget every message, request and programmed answer."""
        with self._lock:
            self._state = _State()

    # -- status callbacks ----------------------------------------------------
    def status_callback(self, sid: str, status: str, error_code: int | None = None):
        """The URL, form and headers Twilio would send for `sid` reaching `status`, signed.

        Also moves the fake's own copy of the message to `status`.
        """
        message = self._message(sid)
        message.status = status
        params = {
            "AccountSid": message.account_sid, "ApiVersion": API_VERSION,
            "From": message.from_ or "", "MessageSid": sid, "MessageStatus": status,
            "SmsSid": sid, "SmsStatus": status, "To": message.to,
        }
        if message.messaging_service_sid:
            params["MessagingServiceSid"] = message.messaging_service_sid
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        url = message.status_callback
        return url, params, {"X-Twilio-Signature": sign(url, params, self.auth_token)}

    def send_status_callback(self, sid: str, status: str, error_code: int | None = None,
                             client=None):
        """Send the signed callback for `sid` to its StatusCallback URL.

        With a Flask test `client`, it is posted to the URL's path and query (the
        app checks the signature against PUBLIC_BASE_URL, as behind a proxy) and
        the test response is returned; without one it goes over HTTP and the
        status code is returned.
        """
        url, params, headers = self.status_callback(sid, status, error_code)
        return post_callback(url, params, headers, client)

    def _message(self, sid: str) -> FakeMessage:
        with self._lock:
            for message in self._state.messages:
                if message.sid == sid:
                    return message
        raise KeyError(f"the fake received no message {sid}")

    def _handle_send(self, account: str, form: dict[str, str]):
        """Answer a POST to Messages.json: (status, JSON body, seconds to stall)."""
        problem = missing_field(form)
        if problem:
            return error(400, problem)
        with self._lock:
            answer = self._take_answer()
            refused = self._state.refused.get(form["To"])
            if answer is not None and answer.status != 201:
                return error(answer.status, answer.code)
            if refused is not None:
                return error(400, refused)
            if not re.fullmatch(r"\+[1-9]\d{6,14}", form["To"]):
                return error(400, 21211)
            message = FakeMessage(
                sid="SM" + secrets.token_hex(16), account_sid=account, to=form["To"],
                body=form["Body"], from_=form.get("From"),
                messaging_service_sid=form.get("MessagingServiceSid"),
                status_callback=form.get("StatusCallback"),
                validity_period=form.get("ValidityPeriod"),
                date_created=datetime.now(UTC).replace(tzinfo=None, microsecond=0),
                status="queued" if form.get("From") else "accepted",
                num_segments=segments(form["Body"]),
            )
            self._state.messages.append(message)
            answered = message.as_twilio_json()
            # Twilio answers "queued" (or "accepted"), then hands the text on at once.
            message.status = "sent"
        stall = answer.stall_seconds if answer is not None else 0.0
        return 201, answered, stall

    def _take_answer(self) -> ProgrammedAnswer | None:
        if not self._state.answers:
            return None
        answer = self._state.answers[0]
        answer.count -= 1
        if answer.count <= 0:
            self._state.answers.pop(0)
        return answer

    def _handle_list(self, account: str, path: str, query: dict[str, str]) -> dict:
        """Answer a GET of Messages.json: newest first, filtered, one page."""
        since = parse_date_sent(query.get("DateSent>"))
        with self._lock:
            found = [
                message for message in reversed(self._state.messages)
                if message.account_sid == account
                and query.get("To") in (None, message.to)
                and (since is None or (message.status not in ("queued", "accepted")
                                       and message.date_created >= since))
            ]
        size = min(int(query.get("PageSize") or 50), 1000)
        start = int((query.get("PageToken") or "PA0")[2:] or 0)
        page = found[start:start + size]
        has_more = start + size < len(found)
        next_query = {**query, "PageSize": size, "PageToken": f"PA{start + size}"}
        return {
            "messages": [message.as_twilio_json() for message in page],
            "end": start + len(page) - 1, "first_page_uri": f"{path}?PageSize={size}",
            "next_page_uri": f"{path}?{urlencode(next_query)}" if has_more else None,
            "page": start // size, "page_size": size, "previous_page_uri": None,
            "start": start, "uri": f"{path}?{urlencode(query)}",
        }

    def _record_request(self, record: dict) -> None:
        with self._lock:
            self._state.requests.append(record)

    def _stall(self, seconds: float) -> None:
        self._stopping.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    """One request to the fake. HTTP/1.1 keep-alive, like the real API."""

    protocol_version = "HTTP/1.1"
    # Headers and body go in separate writes: without this, Nagle's algorithm and
    # delayed ACKs add ~40 ms to every answer on a kept-alive connection.
    disable_nagle_algorithm = True
    fake: FakeTwilio

    def log_message(self, format, *args):  # noqa: A002  (quiet: tests read records instead)
        return

    def do_POST(self):  # noqa: N802  (the name http.server calls)
        path, query = self._path_and_query()
        body = self._read_body()
        if path == "/_test/answers":
            return self._program(json.loads(body or b"{}"))
        form = single_values(body.decode())
        account = self._authorised_account(path)
        if account is None:
            return
        status, body, stall = self.fake._handle_send(account, form)
        self.fake._record_request({"method": "POST", "path": path, "query": query,
                                   "form": form, "status": status})
        if stall:
            self.fake._stall(stall)
        self._send_json(status, body)

    def do_GET(self):  # noqa: N802
        path, query = self._path_and_query()
        if path == "/_test/messages":
            found = [m.record() for m in self.fake.messages
                     if query.get("To") in (None, m.to)]
            return self._send_json(200, {"messages": found})
        if path == "/_test/requests":
            return self._send_json(200, {"requests": self.fake.requests})
        account = self._authorised_account(path)
        if account is None:
            return
        body = self.fake._handle_list(account, path, query)
        self.fake._record_request({"method": "GET", "path": path, "query": query,
                                   "form": {}, "status": 200})
        self._send_json(200, body)

    def do_DELETE(self):  # noqa: N802
        if self._path_and_query()[0] == "/_test/messages":
            self.fake.reset()
            return self._send_json(200, {"reset": True})
        return self._send_json(*error(404, None)[:2])

    def _path_and_query(self) -> tuple[str, dict[str, str]]:
        parts = urlsplit(self.path)
        return parts.path, single_values(parts.query)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _program(self, values: dict) -> None:
        if "refuse_number" in values:
            self.fake.refuse_number(values["refuse_number"], int(values["code"]))
        else:
            self.fake._add_answer(ProgrammedAnswer(
                count=int(values.get("count", 1)), status=int(values.get("status", 429)),
                code=int(values["code"]) if values.get("code") else None,
                stall_seconds=float(values.get("stall_seconds", 0)),
            ))
        self._send_json(200, {"programmed": True})

    def _authorised_account(self, path: str) -> str | None:
        """The AccountSid in the path if basic auth matches it; otherwise answer 401/404."""
        match = _MESSAGES_PATH.match(path)
        if match is None:
            self._send_json(*error(404, None)[:2])
            return None
        expected = f"{self.fake.account_sid}:{self.fake.auth_token}".encode()
        given = self.headers.get("Authorization", "")
        if given != "Basic " + base64.b64encode(expected).decode() or (
            match["account"] != self.fake.account_sid
        ):
            self._send_json(*error(401, 20003)[:2])
            return None
        return match["account"]

    def _send_json(self, status: int, body: dict) -> None:
        payload = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a stalled answer past its timeout): as at Twilio,
            # the message stays accepted though nobody heard the answer.
            self.close_connection = True


def main() -> None:
    """Run the fake on its own (for benchmarks): `python -m tests.sms.fake_twilio [PORT]`."""
    import sys

    fake = FakeTwilio()
    url = fake.start(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    sys.stdout.write(f"{url} {fake.account_sid} {fake.auth_token}\n")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()

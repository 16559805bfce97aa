"""Security headers: a Content-Security-Policy with no inline script or style, and no caching.

The NHS.UK page template carries one tiny inline script (it marks the body as
JavaScript-enabled); it gets a per-request nonce, and nothing else inline is
allowed. Our own JavaScript and CSS are files served from this site.

Every response is `Cache-Control: no-store` unless its view chose a caching
policy itself (only the design system's files and our own static files do):
self-check answers, results and anything about a patient must never be left in
a browser's disk cache or a shared proxy, and a new blueprint is covered
without anyone remembering to add a hook.
"""

import secrets

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.branding import owner_from_config

NHS_FONT_HOST = "https://assets.nhs.uk"
NONCE_KEY = "bonecheck.csp_nonce"


def csp_nonce() -> str:
    """The nonce for this request's one inline script, made on first use."""
    # Kept on the request, not on `g`: an app context can outlive one request.
    return nonce_of(request.environ)


def nonce_of(environ: dict) -> str:
    """The nonce of the request whose WSGI environ this is, made on first use (only when
    missing: setdefault would make one on every call, to throw away)."""
    nonce = environ.get(NONCE_KEY)
    if nonce is None:
        nonce = environ[NONCE_KEY] = secrets.token_urlsafe(16)
    return nonce


def content_security_policy(nonce: str, nhs_branding: bool = False,
                            logo_origin: str | None = None) -> str:
    """The policy: everything from this site, inline script only with the nonce.

    With NHS branding the design system's CSS loads the NHS Frutiger font from the NHS's
    own host; without it no font is fetched from anywhere. An owner's logo may come from
    its own https origin.
    """
    fonts = f"font-src 'self' {NHS_FONT_HOST}" if nhs_branding else "font-src 'self'"
    images = "img-src 'self' data:" + (f" {logo_origin}" if logo_origin else "")
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            images,
            fonts,
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def init_security_headers(app: Flask) -> None:
    """Attach the nonce to templates and the headers to every response.

    Only the nonce changes from one response to the next: the policy around it and
    the other headers are written once here. They are added to each response's
    header list as it starts (SecurityHeaders): a list built once, not werkzeug's
    checked header edits, one at a time, on every response.
    """
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    owner = owner_from_config(app.config)
    policy_before, policy_after = content_security_policy(
        NONCE_KEY, owner.nhs_branding, owner.logo_origin).split(NONCE_KEY)
    fixed_headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"),
    ]
    if app.config.get("SESSION_COOKIE_SECURE"):
        fixed_headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    app.wsgi_app = SecurityHeaders(app.wsgi_app, policy_before, policy_after, fixed_headers)


class SecurityHeaders:
    """WSGI middleware that gives every response the security headers and, unless its view
    chose a caching policy itself, Cache-Control: no-store. A header of the same name
    that a view set is replaced, as werkzeug's `headers[name] = value` would."""

    def __init__(self, wsgi_app, policy_before: str, policy_after: str,
                 fixed_headers: list[tuple[str, str]]) -> None:  # fmt: skip
        self.wsgi_app = wsgi_app
        self._policy = (policy_before, policy_after)
        self._fixed = fixed_headers
        names = ["Content-Security-Policy", *(name for name, _ in fixed_headers)]
        self._ours = frozenset(name.lower() for name in names)

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            nonce = nonce_of(environ)  # made now if no page asked: the policy still names one
            before, after = self._policy
            kept, cached = [], False
            for header in headers:
                name = header[0].lower()
                if name not in self._ours:
                    kept.append(header)
                    cached = cached or name == "cache-control"
            kept.append(("Content-Security-Policy", f"{before}{nonce}{after}"))
            kept.extend(self._fixed)
            if not cached:
                kept.append(NO_STORE)
            return start_response(status, kept, exc_info)

        return self.wsgi_app(environ, start_with_headers)


NO_STORE = ("Cache-Control", "no-store")


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from TRUSTED_PROXIES proxies' X-Forwarded-* headers.

    Behind a proxy, `request.remote_addr` is the proxy itself, so every sign-in
    would seem to come from one address. Only the last TRUSTED_PROXIES entries
    are believed (each proxy appends one); anything a client put before them is
    ignored. With 0, the default, no header is believed at all.
    """
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

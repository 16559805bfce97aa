"""Checking that a webhook really comes from Twilio: the X-Twilio-Signature header.

Twilio signs the URL it called and the POSTed fields with the account's auth
token (HMAC-SHA1, checked here with Twilio's own `RequestValidator`). The URL is
rebuilt from PUBLIC_BASE_URL, the address Twilio was given, not from the
request's Host header: behind a proxy or load balancer the app sees another
host and scheme, and a Host header is the caller's to choose. During a token
rotation the previous token is accepted too.
"""

from collections.abc import Mapping

from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "X-Twilio-Signature"
# A real signature is 28 base64 characters; anything far longer is not one.
_LONGEST_SIGNATURE = 200


def public_url(public_base_url: str, path: str, query_string: str) -> str:
    """The URL Twilio called: our public address, the path, and the query exactly as sent."""
    url = public_base_url.rstrip("/") + path
    return f"{url}?{query_string}" if query_string else url


def is_signed_by_twilio(
    url: str, form: Mapping, signature: str | None, auth_tokens: list[str]
) -> bool:
    """True when `signature` is Twilio's for `url` and `form` under any of `auth_tokens`."""
    if not signature or len(signature) > _LONGEST_SIGNATURE:
        return False
    return any(
        RequestValidator(token).validate(url, form, signature) for token in auth_tokens if token
    )


def auth_tokens(config: Mapping) -> list[str]:
    """The tokens a signature may be made with: the current one, then the previous one."""
    tokens = [config.get("TWILIO_AUTH_TOKEN"), config.get("TWILIO_PREVIOUS_AUTH_TOKEN")]
    return [token for token in tokens if token]

"""Who runs this BoneCheck, and whether it may carry the NHS's name and logo.

The NHS logo and the NHS's Frutiger font are for organisations entitled to them, so
they appear only with NHS_BRANDING=true; by default the header carries the owner's
logo (OWNER_LOGO) or BoneCheck's own, and pages use Arial. Every page names the
owner in its footer, and the About page says who runs the service and how to reach
them (OWNER_NAME, OWNER_CONTACT). Read once from the config when the app is built.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask


@dataclass(frozen=True)
class Owner:
    name: str  # the organisation running this BoneCheck, as it wants to be named
    contact: str  # an email address, phone number or web address for feedback
    logo: str  # a URL for the header's logo; "" for BoneCheck's own
    nhs_branding: bool

    @property
    def contact_href(self) -> str | None:
        """A link for the contact: mailto: for an address, tel: for a number, or the URL."""
        contact = self.contact.strip()
        if "@" in contact and " " not in contact:
            return f"mailto:{contact}"
        if contact.startswith(("https://", "http://")):
            return contact
        digits = "".join(character for character in contact if character.isdigit() or
                         character == "+")  # fmt: skip
        return f"tel:{digits}" if len(digits) >= 10 else None

    @property
    def logo_origin(self) -> str | None:
        """The origin the logo is fetched from, when it is not this site (for the CSP)."""
        parts = urlsplit(self.logo)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme == "https" else None


def owner_from_config(config) -> Owner:
    return Owner(
        name=config["OWNER_NAME"],
        contact=config["OWNER_CONTACT"],
        logo=config["OWNER_LOGO"],
        nhs_branding=config["NHS_BRANDING"],
    )


def owner() -> Owner:
    """The owner of the app handling this request."""
    from flask import current_app

    return current_app.extensions["bonecheck_owner"]


def register(app: Flask) -> None:
    """Keep the owner on the app and offer it to every template as `owner`."""
    app.extensions["bonecheck_owner"] = owner_from_config(app.config)
    app.jinja_env.globals["owner"] = app.extensions["bonecheck_owner"]

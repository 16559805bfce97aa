"""Walking every route in `app.url_map` with real records behind it.

Shared by the tests that must cover every page, including pages added later:
`make_records` saves one of each kind of record (an admin, a nurse and her
patient among them) and signs nobody in; `url_for_rule` fills a rule's parts
from those records (or from `values`), so a route that takes an id gets one
that exists. A new kind of record gets its id here, by its URL part's name.
"""

import uuid

from werkzeug.routing import UUIDConverter

from tests.accounts.factories import create_fls_service, create_staff_member
from tests.groups.factories import create_group
from tests.patients.factories import create_patient
from webapp.models.staff import Role

# Files, not pages: the design system's and our own, with their own caching.
FILE_ENDPOINTS = frozenset({"static", "assets.static_file"})
# A value for string parts of the public finder's addresses.
TEXT_PARTS = {"district": "DH1", "code": "north-east", "filename": "nhsuk-frontend.min.css"}


def make_records(database) -> tuple:
    """An admin (to sign in as) and the ids of one saved record of each kind, by URL part name."""
    admin, nurse, ids = make_staff_and_records(database)
    return admin, ids


def make_staff_and_records(database) -> tuple:
    """An admin, a nurse with a patient in her service, and every record's id by URL part name."""
    service = create_fls_service(database)
    nurse = create_staff_member(database, Role.NURSE, fls_service=service)
    admin = create_staff_member(database, Role.ADMIN)
    group = create_group(database)
    patient = create_patient(database, service, nurse)
    database.commit()
    ids = {"group_id": group.id, "service_id": service.id, "staff_id": nurse.id,
           "patient_id": patient.id, "regimen_id": patient.regimens[0].id,
           "kpi": 9}  # fmt: skip
    return admin, nurse, ids


def page_rules(app, method: str = "GET") -> list:
    """Every rule that answers `method` with a page (not a design-system or static file)."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if method in rule.methods and rule.endpoint not in FILE_ENDPOINTS
        ),
        key=lambda rule: rule.rule,
    )


def url_for_rule(app, rule, ids: dict, **values) -> str:
    """The rule's URL: each part from `values`, else a saved record's id, else a plain value."""
    parts = {}
    for name, converter in rule._converters.items():
        if name in values:
            parts[name] = values[name]
        elif isinstance(converter, UUIDConverter):
            parts[name] = uuid.UUID(int=1)
        elif name in TEXT_PARTS:
            parts[name] = TEXT_PARTS[name]
        else:
            parts[name] = ids.get(name, 1)
    return app.url_map.bind("localhost").build(rule.endpoint, parts)

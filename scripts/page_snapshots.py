"""Save the HTML of a set of pages, or compare them with a saved set, byte for byte.

For changes to how pages are drawn that must not change what is drawn: save the
pages before the change, then compare after it. Every self-check page (each
question, in both units, with and without an error; the under-50, over-100 and
ended pages; "Check your answers", the result and the summary for several
people), the public pages, a 404, the staff sign-in page (empty and with an
error), pages of a signed-in admin and nurse, and the support-group finder's
pages. Only what is new on every request is normalised: the CSP nonce and CSRF
tokens. Headers are compared too (the date and the session cookie left out).

    .venv/bin/python scripts/page_snapshots.py save FOLDER
    .venv/bin/python scripts/page_snapshots.py compare FOLDER
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NONCE = re.compile(r"nonce(=\"|-)[A-Za-z0-9_\-]+")
# A Flask-WTF token: the signed JSON string of the session's secret ("…" is I…), its time, its MAC.
CSRF = re.compile(r"\bI[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27}\b")
LEFT_OUT_HEADERS = {"Date", "Set-Cookie"}


def normalised(response) -> str:
    """Status, headers and body, with this request's nonce and CSRF tokens blanked."""
    headers = [f"{name}: {value}" for name, value in response.headers.items()
               if name not in LEFT_OUT_HEADERS]  # fmt: skip
    text = "\n".join([str(response.status_code), *headers, "", response.get_data(as_text=True)])
    return CSRF.sub("CSRF", NONCE.sub(r"nonce\1NONCE", text))


def self_check_pages(client) -> dict:
    """Every page of the self-check, for several people."""
    from tests.blueprints.selfcheck.journey import give_answers, ready_for
    from tests.pages import submit
    from tests.selfcheck.examples import complete_answers
    from webapp.selfcheck.answers import QUESTIONS

    pages = {"check-ended": client.get("/check/ended")}
    for question in QUESTIONS:
        path = f"/check/{question.replace('_', '-')}"
        ready_for(client, question)
        pages[f"question-{question}"] = client.get(path)
        pages[f"question-{question}-error"] = submit(client, path, {})
        if question in ("height", "weight"):
            pages[f"question-{question}-imperial"] = client.get(f"{path}?units=imperial")
    ready_for(client, "sex")
    pages["date-of-birth"] = client.get("/check/date-of-birth")
    pages["date-of-birth-error"] = submit(client, "/check/date-of-birth", {"day": "31"})
    for age in (25, 40):
        give_answers(client, {"age": complete_answers(age=age)["age"]})
        pages[f"under-50-age-{age}"] = client.get("/check/under-50")
    give_answers(client, {"age": complete_answers(age=101)["age"]})
    pages["over-100"] = client.get("/check/over-100")
    for name, answers in PEOPLE.items():
        give_answers(client, complete_answers(**answers))
        pages[f"{name}-check-your-answers"] = client.get("/check/check-your-answers")
        submit(client, "/check/check-your-answers", {})
        pages[f"{name}-result"] = client.get("/check/result")
        pages[f"{name}-summary"] = client.get("/check/summary")
    return pages


PEOPLE = {
    "woman-65": {},
    "woman-72-broken-wrist": {"age": 72, "broken_bones": "yes", "falls": "yes",
                              "conditions": ["asthma_or_copd"],
                              "other_risk_factors": ["height_loss"]},
    "man-58-smoker": {"age": 58, "sex": "male", "smoking": "4", "alcohol": "3",
                      "steroids": "yes", "diabetes": "type2_diabetes",
                      "height": {"feet": 5, "inches": 9, "cm": 175.26}},
    "woman-45": {"age": 45, "continue_under_50": True, "parent_hip_fracture": "yes"},
    "man-90": {"age": 90, "sex": "male", "weight": {"stones": 9, "pounds": 2, "kg": 57.15}},
}  # fmt: skip


def public_and_staff_pages(app, client) -> dict:
    """The public pages, a 404, the finder and staff pages, signed out and signed in."""
    from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
    from tests.groups.factories import create_group
    from tests.pages import submit
    from webapp.extensions import db
    from webapp.models.staff import Role

    pages = {name: client.get(path) for name, path in [
        ("home", "/"), ("about", "/about"), ("cookies", "/cookies"), ("privacy", "/privacy"),
        ("accessibility", "/accessibility"), ("sources", "/sources"), ("404", "/no-such-page"),
        ("staff-sign-in", "/staff/sign-in"), ("groups", "/groups/"),
        ("groups-online", "/groups/online"), ("groups-regions", "/groups/regions"),
    ]}  # fmt: skip
    pages["staff-sign-in-error"] = submit(client, "/staff/sign-in", {"email": "x"})
    with app.app_context():
        group = create_group(db.session)
        service = create_fls_service(db.session)
        admin = create_staff_member(db.session, Role.ADMIN)
        nurse = create_staff_member(db.session, Role.NURSE, fls_service=service)
        db.session.commit()
        pages["group"] = client.get(f"/groups/{group.id}")
        pages["groups-near"] = client.get("/groups/near/DH1")
        for person, paths in ((admin, ("/admin/staff", "/staff/", "/no-such-page", "/check/age")),
                              (nurse, ("/worklist", "/patients/", "/staff/"))):
            staff_client = app.test_client()
            sign_in(staff_client, person)
            for path in paths:
                pages[f"{person.role}{path.replace('/', '-')}"] = staff_client.get(path)
    return pages


def all_pages() -> dict[str, str]:
    """Every page named, drawn by a fresh app on a fresh database."""
    folder = tempfile.mkdtemp(prefix="bonecheck-pages-")
    url = f"sqlite:///{folder}/pages.sqlite3"
    env = {**os.environ, "BONECHECK_ENV": "test", "TEST_DATABASE_URL": url, "FLASK_APP": "wsgi"}
    subprocess.run([str(Path(sys.executable).with_name("flask")), "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
    os.environ["TEST_DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT))
    from config import TestConfig
    from webapp import create_app

    app = create_app(TestConfig)
    client = app.test_client()
    pages = {**self_check_pages(client), **public_and_staff_pages(app, client)}
    return {name: normalised(response) for name, response in pages.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("folder", type=Path)
    arguments = parser.parse_args()
    pages = all_pages()
    if arguments.action == "save":
        arguments.folder.mkdir(parents=True, exist_ok=True)
        for name, text in pages.items():
            (arguments.folder / f"{name}.txt").write_text(text)
        print(f"saved {len(pages)} pages in {arguments.folder}")  # noqa: T201
        return
    different = [name for name, text in pages.items()
                 if (arguments.folder / f"{name}.txt").read_text() != text]  # fmt: skip
    print(f"{len(pages) - len(different)} of {len(pages)} pages the same")  # noqa: T201
    if different:
        sys.exit("different: " + ", ".join(different))


if __name__ == "__main__":
    main()

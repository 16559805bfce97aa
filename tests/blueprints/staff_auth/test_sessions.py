"""Sign-out, the next page, and sessions ended by a new password or a switched-off account."""

import time
from urllib.parse import urlencode

import pytest

from tests.accounts.factories import PASSWORD, create_staff_member, sign_in
from tests.pages import get_page, submit
from webapp.accounts.staff import deactivate_staff_member
from webapp.auth import sessions
from webapp.clock import utc_now
from webapp.extensions import login_manager
from webapp.models.staff import Role


def test_sign_out_is_a_post_with_csrf_and_ends_the_session(client, database):
    staff = create_staff_member(database)
    sign_in(client, staff)
    page = get_page(client, "/staff/")
    form = page.select_one("form.nhsuk-header__account-form")
    assert form["action"] == "/staff/sign-out" and form["method"] == "post"
    assert client.get("/staff/sign-out").status_code == 405
    assert client.post("/staff/sign-out").status_code == 400  # no CSRF token
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post("/staff/sign-out", data={"csrf_token": token})
    assert response.location == "/staff/sign-in"
    assert client.get("/staff/").location.startswith("/staff/sign-in")
    assert "You have signed out." in get_page(client, "/staff/sign-in").get_text()


def test_signing_out_ends_the_persons_other_sessions_too(app, database):
    staff = create_staff_member(database)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, staff)
    sign_in(phone, staff)
    token = get_page(laptop, "/staff/").find("input", attrs={"name": "csrf_token"})["value"]
    laptop.post("/staff/sign-out", data={"csrf_token": token})
    assert phone.get("/staff/").location.startswith("/staff/sign-in")


def test_changing_password_ends_other_sessions_but_not_this_one(app, database):
    staff = create_staff_member(database)
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, staff)
    sign_in(elsewhere, staff)
    response = submit(here, "/staff/change-password", {
        "current_password": PASSWORD, "password": "a brand new phrase",
        "confirm_password": "a brand new phrase",
    })
    assert response.location == "/staff/"
    assert here.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").location.startswith("/staff/sign-in")


def test_change_password_explains_mistakes(client, database):
    staff = create_staff_member(database)
    sign_in(client, staff)
    from tests.pages import error_messages, post_form

    page = post_form(client, "/staff/change-password", {
        "current_password": "wrong", "password": "a brand new phrase",
        "confirm_password": "a different phrase",
    })
    assert error_messages(page) == ["The passwords do not match"]
    page = post_form(client, "/staff/change-password", {
        "current_password": "wrong", "password": "a brand new phrase",
        "confirm_password": "a brand new phrase",
    })
    assert error_messages(page) == ["Your current password is not right"]


def test_being_deactivated_ends_the_session_at_once(client, database):
    admin = create_staff_member(database, email="admin@nhs.net")
    nurse = create_staff_member(database, "nurse")
    sign_in(client, nurse)
    assert client.get("/staff/").status_code == 200
    deactivate_staff_member(database, admin, nurse, utc_now())
    database.commit()
    assert client.get("/staff/").location.startswith("/staff/sign-in")


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "http:/evil.example", "/\\evil.example",
     "\\\\evil.example", "javascript:alert(1)", "/ok\r\nLocation: https://evil.example", ""],
)
def test_next_never_leaves_this_site(client, database, target):
    staff = create_staff_member(database)
    response = submit(client, "/staff/sign-in?" + urlencode({"next": target}),
                      {"email": staff.email, "password": PASSWORD})
    assert response.location == "/staff/"


def test_next_returns_to_the_page_that_asked_for_sign_in(client, database):
    staff = create_staff_member(database)
    first = client.get("/admin/audit-log?page=2")
    assert first.location == "/staff/sign-in?next=/admin/audit-log?page%3D2"
    response = submit(client, first.location, {"email": staff.email, "password": PASSWORD})
    assert response.location == "/admin/audit-log?page=2"


@pytest.mark.parametrize(
    ("target", "safe"),
    [("/staff/", "/staff/"), ("/admin/staff?page=2", "/admin/staff?page=2"),
     ("//evil", None), ("https://evil", None), ("/\\evil", None), ("evil", None),
     ("/a\tb", None), (None, None)],
)
def test_safe_next_url(target, safe):
    assert sessions.safe_next_url(target) == safe


def test_idle_check_clears_an_old_session(app):
    with app.test_request_context("/staff/"):
        from flask import session

        session["_user_id"] = "1:token"
        session[sessions.LAST_SEEN] = time.time() - 31 * 60
        sessions.expire_idle_session()
        assert "_user_id" not in session and session[sessions.SIGNED_OUT_IDLE] is True
        session["_user_id"] = "1:token"
        session[sessions.LAST_SEEN] = time.time() - 29 * 60
        sessions.expire_idle_session()
        assert session["_user_id"] == "1:token"


def test_a_public_page_loads_no_staff_member_and_a_staff_page_loads_them_once(
    app, database, client, monkeypatch
):
    nurse = create_staff_member(database, Role.NURSE, full_name="Nia Loaded")
    loaded = []
    load = login_manager._load_user

    def counted():
        loaded.append(1)
        return load()

    monkeypatch.setattr(login_manager, "_load_user", counted)
    assert client.get("/about").status_code == 200
    assert loaded == []
    sign_in(client, nurse)
    loaded.clear()
    page = client.get("/staff/").get_data(as_text=True)
    assert "Nia Loaded" in page and "Sign out" in page
    assert len(loaded) == 1

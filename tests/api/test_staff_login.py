"""Staff login: session cookie flags, CSRF on forms, throttling of password guessing on both login routes."""

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import messages
from api.core.config import Settings
from api.core.throttle import LoginThrottle
from api.core.web_session import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from api.models import AuditEvent
from tests.factories import make_staff_user
from tests.web_login import LOGIN_URL, form_csrf, log_in, submit_login

PASSWORD = "ett-långt-lösenord"
TOKEN_URL = "/api/v1/auth/token"


def _set_cookie_header(response, name: str) -> str:  # type: ignore[no-untyped-def]
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert headers, f"{name} was not set"
    return headers[-1].lower()


def test_login_sets_a_strict_httponly_session_cookie(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    response = submit_login(client, "kommunpolis", PASSWORD, next_path="/staff/arenden?status=ny")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/arenden?status=ny"
    cookie = _set_cookie_header(response, SESSION_COOKIE)
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/" in cookie
    assert "secure" not in cookie  # plain HTTP in tests; production below


def test_cookies_are_secure_in_production(client: TestClient, db: Session, settings: Settings) -> None:
    settings.environment = "production"
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    page = client.get(LOGIN_URL)
    assert "secure" in _set_cookie_header(page, LOGIN_CSRF_COOKIE)
    # The client would not send a Secure cookie back over http://testserver, so post the pre-login cookie by hand.
    seed = page.cookies[LOGIN_CSRF_COOKIE]
    client.cookies.clear()
    client.cookies.set(LOGIN_CSRF_COOKIE, seed)
    response = client.post(
        LOGIN_URL,
        data={"username": "kommunpolis", "password": PASSWORD, "csrf_token": form_csrf(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = _set_cookie_header(response, SESSION_COOKIE)
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_login_form_without_csrf_token_is_refused(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    client.get(LOGIN_URL)
    response = client.post(LOGIN_URL, data={"username": "kommunpolis", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


def test_login_csrf_token_from_another_browser_is_refused(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    foreign_token = form_csrf(client.get(LOGIN_URL).text)
    client.cookies.clear()
    client.get(LOGIN_URL)  # a fresh pre-login cookie that the foreign token is not bound to
    response = client.post(
        LOGIN_URL, data={"username": "kommunpolis", "password": PASSWORD, "csrf_token": foreign_token},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_wrong_password_shows_the_error_and_no_session(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    response = submit_login(client, "kommunpolis", "fel-lösenord")
    assert response.status_code == 401
    assert messages.INVALID_CREDENTIALS in response.text
    assert SESSION_COOKIE not in response.cookies


def test_deactivated_user_cannot_log_in(client: TestClient, db: Session) -> None:
    user = make_staff_user(db, username="slutat", password=PASSWORD)
    user.is_active = False
    db.commit()
    assert submit_login(client, "slutat", PASSWORD).status_code == 401


def test_redirect_after_login_stays_on_the_site(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    for evil in ("https://example.org/", "//example.org/staff/", "/staff/\\example.org"):
        response = submit_login(client, "kommunpolis", PASSWORD, next_path=evil)
        assert response.headers["location"] == "/staff/arenden"


def test_web_login_locks_the_username_after_repeated_failures(client: TestClient, db: Session,
                                                                 settings: Settings) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    make_staff_user(db, username="samordnare", password=PASSWORD)
    for _ in range(settings.login_max_failures_per_user):
        assert submit_login(client, "kommunpolis", "gissning").status_code == 401
    locked = submit_login(client, "kommunpolis", PASSWORD)  # even the right password waits out the lock
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "För många misslyckade inloggningar" in locked.text
    assert SESSION_COOKIE not in locked.cookies
    # Another user on the same address is not locked out by someone guessing one name.
    assert submit_login(client, "samordnare", PASSWORD).status_code == 303


def test_token_endpoint_is_throttled_too(client: TestClient, db: Session, settings: Settings) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    for _ in range(settings.login_max_failures_per_user):
        assert client.post(TOKEN_URL, data={"username": "kommunpolis", "password": "gissning"}).status_code == 401
    locked = client.post(TOKEN_URL, data={"username": "kommunpolis", "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    # Web form and token endpoint share the count: the form is locked for this user as well.
    assert submit_login(client, "kommunpolis", PASSWORD).status_code == 429


def test_many_usernames_from_one_address_lock_the_address(client: TestClient, db: Session,
                                                            settings: Settings) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    for attempt in range(settings.login_max_failures_per_ip):
        response = client.post(TOKEN_URL, data={"username": f"gissat{attempt}", "password": "x"})
        assert response.status_code == 401
    assert client.post(TOKEN_URL, data={"username": "kommunpolis", "password": PASSWORD}).status_code == 429


def test_successful_login_clears_the_failure_count(client: TestClient, db: Session, settings: Settings) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    for _ in range(settings.login_max_failures_per_user - 1):
        submit_login(client, "kommunpolis", "gissning")
    assert submit_login(client, "kommunpolis", PASSWORD).status_code == 303
    for _ in range(settings.login_max_failures_per_user - 1):
        assert submit_login(client, "kommunpolis", "gissning").status_code == 401


def test_logout_needs_the_csrf_token_and_ends_the_session(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    log_in(client, "kommunpolis", PASSWORD)
    page = client.get("/staff/arenden")
    assert page.status_code == 200
    assert client.post("/staff/logout", data={}, follow_redirects=False).status_code == 403
    assert client.post("/staff/logout", data={"csrf_token": "fel"}, follow_redirects=False).status_code == 403
    response = client.post("/staff/logout", data={"csrf_token": form_csrf(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    assert 'max-age=0' in _set_cookie_header(response, SESSION_COOKIE)
    assert client.get("/staff/arenden", follow_redirects=False).status_code == 303


def test_a_kept_copy_of_the_cookie_is_refused_after_logout(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    log_in(client, "kommunpolis", PASSWORD)
    stolen = client.cookies[SESSION_COOKIE]
    page = client.get("/staff/arenden")
    client.post("/staff/logout", data={"csrf_token": form_csrf(page.text)})
    client.cookies.set(SESSION_COOKIE, stolen)
    assert client.get("/staff/arenden", follow_redirects=False).status_code == 303
    # Logging in again gives a new session that works.
    client.cookies.clear()
    log_in(client, "kommunpolis", PASSWORD)
    assert client.get("/staff/arenden", follow_redirects=False).status_code == 200


def test_pages_send_anonymous_visitors_to_the_login_form(client: TestClient) -> None:
    response = client.get("/staff/arenden?status=ny", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?next=/staff/arenden%3Fstatus%3Dny"


def test_forged_session_cookie_is_ignored(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsInNpZCI6IngifQ.bad")
    assert client.get("/staff/arenden", follow_redirects=False).status_code == 303


def test_logins_and_logouts_are_audited(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password=PASSWORD)
    submit_login(client, "kommunpolis", "gissning")
    submit_login(client, "okänd-person", "gissning")
    client.post(TOKEN_URL, data={"username": "kommunpolis", "password": PASSWORD})
    log_in(client, "kommunpolis", PASSWORD)
    client.post("/staff/logout", data={"csrf_token": form_csrf(client.get("/staff/arenden").text)})
    events = db.scalars(select(AuditEvent).order_by(AuditEvent.id))
    trail = [(e.action, e.object_type, e.username) for e in events]
    assert trail == [
        ("login_failed", "staff_user", "system"),
        ("login_failed", "staff_user", "system"),
        ("login", "staff_user", "kommunpolis"),
        ("login", "staff_user", "kommunpolis"),
        ("logout", "staff_session", "kommunpolis"),
    ]
    assert [e.object_id for e in db.scalars(
        select(AuditEvent).where(AuditEvent.action == "login_failed").order_by(AuditEvent.id))] == [
        "kommunpolis", "okänd-person"]
    assert all(e.after and e.after["ip"] for e in db.scalars(select(AuditEvent)))


def test_throttle_forgets_failures_after_the_window() -> None:
    throttle = LoginThrottle(max_per_user=3, max_per_ip=10, window_seconds=3)
    for _ in range(3):
        throttle.failed("Anna", "10.0.0.1")
    assert 1 <= throttle.retry_after("anna", "10.0.0.2") <= 3  # usernames compare case-insensitively
    assert throttle.retry_after("kalle", "10.0.0.2") == 0
    time.sleep(3.2)  # the window is three seconds: the failures have left it
    assert throttle.retry_after("anna", "10.0.0.2") == 0


def test_throttle_success_clears_the_username_but_not_the_address() -> None:
    throttle = LoginThrottle(max_per_user=2, max_per_ip=3, window_seconds=600)
    throttle.failed("anna", "10.0.0.1")
    throttle.failed("anna", "10.0.0.1")
    assert throttle.retry_after("anna", "10.0.0.9") > 0
    throttle.succeeded("Anna")
    assert throttle.retry_after("anna", "10.0.0.9") == 0
    throttle.failed("bertil", "10.0.0.1")
    assert throttle.retry_after("cecilia", "10.0.0.1") > 0  # three failures from the address


@pytest.mark.parametrize("field", ["username", "password"])
def test_missing_login_field_is_a_clear_error(client: TestClient, field: str) -> None:
    token = form_csrf(client.get(LOGIN_URL).text)
    data = {"username": "a", "password": "b", "csrf_token": token}
    del data[field]
    assert client.post(LOGIN_URL, data=data).status_code == 422

"""Staff pages at the HTTP level: every state-changing form checks CSRF and the role; missing things are 404 pages."""

import html
import re
import uuid

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.web import PAGE_ROUTERS
from api.web.deps import check_csrf
from tests.factories import make_staff_user
from tests.web_login import form_csrf, log_in

PASSWORD = "ett-långt-lösenord"
CONCERN = uuid.uuid4()
# Every state-changing staff form, with the least role that may use it.
FORMS = [
    ("/staff/arenden/massandring", "analyst"),
    (f"/staff/arenden/{CONCERN}/teman", "analyst"),
    (f"/staff/arenden/{CONCERN}/status", "analyst"),
    (f"/staff/arenden/{CONCERN}/anteckningar", "analyst"),
    ("/staff/loften/nytt", "analyst"),
    ("/staff/loften/1/redigera", "analyst"),
    ("/staff/loften/1/status", "analyst"),
    ("/staff/loften/1/aktiviteter/1", "analyst"),
    ("/staff/admin/anvandare", "admin"),
    ("/staff/admin/anvandare/1", "admin"),
    ("/staff/admin/teman", "admin"),
    ("/staff/admin/teman/trafik", "admin"),
    ("/staff/admin/omraden", "admin"),
]


def _logged_in(client: TestClient, db: Session, role: str) -> str:
    """Log in a user with `role`; returns a valid CSRF token of the session."""
    make_staff_user(db, username=f"user-{role}", password=PASSWORD, role=role)
    log_in(client, f"user-{role}", PASSWORD)
    return form_csrf(client.get("/staff/arenden").text)


def test_every_staff_post_route_checks_csrf() -> None:
    """A new form cannot forget the check: each POST under /staff (but the login form) depends on check_csrf."""
    routes = [route for router in PAGE_ROUTERS for route in router.routes]
    posts = [r for r in routes if isinstance(r, APIRoute) and r.path.startswith("/staff") and "POST" in r.methods]
    assert len(posts) >= len(FORMS) + 1
    for route in posts:
        if route.path == "/staff/login":
            continue  # bound to its pre-login cookie instead (tests/api/test_staff_login.py)
        calls = {d.call for d in route.dependant.dependencies}
        assert check_csrf in calls, f"{route.path} has no CSRF check"


@pytest.mark.parametrize(("path", "role"), FORMS)
def test_forms_without_csrf_token_are_refused(client: TestClient, db: Session, path: str, role: str) -> None:
    _logged_in(client, db, "admin")
    response = client.post(path, data={"status": "avvisad", "label": "x", "role": "viewer"}, follow_redirects=False)
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.text


@pytest.mark.parametrize(("path", "role"), FORMS)
def test_viewer_is_refused_every_edit(client: TestClient, db: Session, path: str, role: str) -> None:
    token = _logged_in(client, db, "viewer")
    response = client.post(path, data={"csrf_token": token, "status": "avvisad"}, follow_redirects=False)
    assert response.status_code == 403
    assert "Du saknar behörighet" in response.text


@pytest.mark.parametrize("path", [p for p, role in FORMS if role == "admin"])
def test_analyst_is_refused_administration(client: TestClient, db: Session, path: str) -> None:
    token = _logged_in(client, db, "analyst")
    response = client.post(path, data={"csrf_token": token, "label": "x", "role": "admin"}, follow_redirects=False)
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/staff/admin", "/staff/admin/anvandare", "/staff/admin/teman",
                                  "/staff/admin/omraden", "/staff/loften/nytt"])
def test_viewer_is_refused_edit_pages(client: TestClient, db: Session, path: str) -> None:
    _logged_in(client, db, "viewer")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", [f"/staff/arenden/{uuid.uuid4()}", "/staff/loften/999999",
                                  "/staff/loften/999999/uppfoljning"])
def test_unknown_things_are_404_pages(client: TestClient, db: Session, path: str) -> None:
    _logged_in(client, db, "viewer")
    response = client.get(path)
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_public_promises_page_needs_no_login(client: TestClient) -> None:
    response = client.get("/lofte")
    assert response.status_code == 200
    assert "Medborgarlöften" in response.text


@pytest.mark.parametrize("path", ["/staff/login", "/lofte"])
def test_pages_are_served_under_the_strict_csp(client: TestClient, path: str) -> None:
    policy = client.get(path).headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize(("query", "message"), [
    ("from=2026-13-01", "Datumen ska skrivas ÅÅÅÅ-MM-DD."),
    ("from=2026-05-01&to=2026-04-01", "Periodens början ligger efter dess slut."),
    ("from=2020-01-01&to=2026-01-01", "Välj en period på högst tre år."),
])
def test_bad_lagesbild_period_is_explained(client: TestClient, db: Session, query: str, message: str) -> None:
    _logged_in(client, db, "viewer")
    response = client.get(f"/staff/lagesbild?{query}")
    assert response.status_code == 200
    assert message in response.text


def test_concern_list_pages_with_a_next_link(client: TestClient, db: Session) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.api.staff_support import make_concern

    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    for n in range(53):
        make_concern(db, description=f"Ärende nummer {n:02d}", created_at=start + timedelta(hours=n), commit=False)
    db.commit()
    _logged_in(client, db, "viewer")
    first = client.get("/staff/arenden?sort=oldest")
    assert first.text.count('class="excerpt"') == 50
    assert "53 ärenden" in first.text and "Ärende nummer 00" in first.text and "Ärende nummer 50" not in first.text
    next_href = re.search(r'href="(/staff/arenden\?[^"]+)" rel="next"', first.text)
    assert next_href
    second = client.get(html.unescape(next_href.group(1)))
    assert second.text.count('class="excerpt"') == 3
    assert "Ärende nummer 52" in second.text and 'rel="next"' not in second.text
    assert "Till första sidan" in second.text
    # An edited cursor is explained, and the first page shown.
    broken = client.get("/staff/arenden?cursor=inte-en-markor")
    assert "Ogiltig sidmarkör" in broken.text and broken.text.count('class="excerpt"') == 50


def test_times_are_shown_in_swedish_local_time(client: TestClient, db: Session) -> None:
    from tests.api.staff_support import at, make_concern

    summer = make_concern(db, created_at=at(2026, 7, 1, 10))  # 10:00 UTC is 12:00 in Stockholm (CEST)
    winter = make_concern(db, created_at=at(2026, 1, 15, 10))  # and 11:00 in winter (CET)
    _logged_in(client, db, "viewer")
    assert "Ärende från 2026-07-01 12:00" in client.get(f"/staff/arenden/{summer.id}").text
    assert "Ärende från 2026-01-15 11:00" in client.get(f"/staff/arenden/{winter.id}").text

"""Logging in through the staff login form from a TestClient (shared by the page tests)."""

import re

from fastapi.testclient import TestClient
from httpx import Response

LOGIN_URL = "/staff/login"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_csrf(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = _CSRF.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1)


def submit_login(client: TestClient, username: str, password: str, *, next_path: str | None = None) -> Response:
    token = form_csrf(client.get(LOGIN_URL).text)
    data = {"username": username, "password": password, "csrf_token": token}
    if next_path is not None:
        data["next"] = next_path
    return client.post(LOGIN_URL, data=data, follow_redirects=False)


def log_in(client: TestClient, username: str, password: str) -> None:
    response = submit_login(client, username, password)
    assert response.status_code == 303, response.text

"""Security headers on every response, HSTS only over TLS or in production, framing and CORS only for the sites
in FRAME_ANCESTORS and CORS_ORIGINS (the municipality's pages that embed the widget), and never with cookies."""

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.core.config import get_settings
from api.core.headers import DOCS_CSP
from api.main import create_app

HOST_SITE = "https://www.exempelstad.se"
OTHER_SITE = "https://evil.example"
CHAT = "/api/v1/chat"


@pytest.fixture
def app_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., FastAPI]]:
    """An app built from the given environment variables (the middleware reads the settings at start-up)."""

    def build(**env: str) -> FastAPI:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return create_app()

    yield build
    get_settings.cache_clear()


def _directives(csp: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in csp.split("; ")}


@pytest.mark.parametrize("path", ["/", "/integritet", "/api/v1/themes", "/static/widget/widget.js", "/healthz",
                                  "/finns-inte"])
def test_every_response_has_the_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    csp = _directives(response.headers["content-security-policy"])
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"  # no 'unsafe-inline', no other hosts
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in response.headers["permissions-policy"]
    assert "geolocation=()" in response.headers["permissions-policy"]
    assert "strict-transport-security" not in response.headers  # plain HTTP in tests


def test_hsts_over_tls_and_in_production(app_with: Callable[..., FastAPI]) -> None:
    behind_tls = TestClient(app_with(), base_url="https://trygg.exempelstad.se")
    assert behind_tls.get("/integritet").headers["strict-transport-security"] == "max-age=31536000"
    production = TestClient(app_with(ENVIRONMENT="production"))
    assert production.get("/integritet").headers["strict-transport-security"] == "max-age=31536000"


def test_frame_ancestors_come_from_the_allow_list(app_with: Callable[..., FastAPI]) -> None:
    client = TestClient(app_with(FRAME_ANCESTORS=f"{HOST_SITE}, https://intranat.exempelstad.se/"))
    response = client.get("/")
    csp = _directives(response.headers["content-security-policy"])
    assert csp["frame-ancestors"] == f"{HOST_SITE} https://intranat.exempelstad.se"
    assert "x-frame-options" not in response.headers


@pytest.mark.parametrize("bad", ["*", "https://www.exempelstad.se/sida", "exempelstad.se", "https://*.se"])
def test_an_allow_list_entry_that_is_not_an_origin_stops_the_start(
    app_with: Callable[..., FastAPI], bad: str
) -> None:
    with pytest.raises(ValueError, match="is not an origin"):
        app_with(CORS_ORIGINS=bad)


def test_the_api_docs_keep_working_with_their_own_policy(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == DOCS_CSP


def test_a_host_site_may_call_the_chat_without_cookies(app_with: Callable[..., FastAPI]) -> None:
    client = TestClient(app_with(CORS_ORIGINS=HOST_SITE))
    preflight = client.options(CHAT, headers={
        "Origin": HOST_SITE, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
    })
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == HOST_SITE
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers
    assert preflight.headers["x-content-type-options"] == "nosniff"  # the headers go on preflights too

    config = client.get(f"{CHAT}/config", headers={"Origin": HOST_SITE})
    assert config.headers["access-control-allow-origin"] == HOST_SITE
    assert config.json()["max_chars"] == get_settings().chat_max_chars


def test_other_sites_and_other_endpoints_get_no_cors(app_with: Callable[..., FastAPI]) -> None:
    client = TestClient(app_with(CORS_ORIGINS=HOST_SITE))
    refused = client.options(CHAT, headers={"Origin": OTHER_SITE, "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    # A bearer token can never be used from a host site's page: the staff API has no CORS at all.
    staff = client.options("/api/v1/concerns", headers={
        "Origin": HOST_SITE, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization",
    })
    assert "access-control-allow-origin" not in staff.headers
    # The chat allows only Content-Type, so no Authorization header or cookie can ride along either.
    with_auth = client.options(CHAT, headers={
        "Origin": HOST_SITE, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization",
    })
    assert with_auth.status_code == 400


def test_no_cors_without_an_allow_list(client: TestClient) -> None:
    response = client.options(CHAT, headers={"Origin": HOST_SITE, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in response.headers

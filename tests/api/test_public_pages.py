"""The public pages: the demo page with the widget, the privacy notice written from the settings, the
accessibility statement. All Swedish, all working under the strict CSP (no inline script or style)."""

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from api.core.config import Settings, get_settings
from api.routes.pages import WIDGET_SCRIPT, tel_href

PAGES = ["/", "/integritet", "/tillganglighet"]


class _Inventory(HTMLParser):
    """What the CSP cares about: scripts, style elements, style and event-handler attributes; plus links."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_code: list[str] = []
        self.links: list[str] = []
        self.lang: str | None = None
        self.h1: int = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.inline_code.append("<style>")
        if tag == "a" and attributes.get("href"):
            self.links.append(str(attributes["href"]))
        for name, _ in attrs:
            if name == "style" or name.startswith("on"):
                self.inline_code.append(f"{tag} {name}=")


def _inventory(html: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_is_swedish_html_without_inline_code(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = _inventory(response.text)
    assert page.lang == "sv"
    assert page.h1 == 1
    assert page.inline_code == []
    assert all(script.get("src") for script in page.scripts), "an inline <script> would be refused by the CSP"
    assert "/integritet" in page.links and "/tillganglighet" in page.links


def test_demo_page_adds_the_widget_with_one_script_tag(client: TestClient) -> None:
    page = _inventory(client.get("/").text)
    assert page.scripts == [{"src": WIDGET_SCRIPT, "data-title": "Trygghetsdialog", "async": None}]
    assert client.get(WIDGET_SCRIPT).status_code == 200
    text = client.get("/").text
    assert "Exempelstad kommun" in text and "medborgardialog" in text and "112" in text


def test_privacy_notice_is_written_from_the_settings(client: TestClient, settings: Settings) -> None:
    custom = settings.model_copy(update={
        "controller_name": "Testby kommun", "controller_email": "registrator@testby.se",
        "controller_phone": "0987-65 43 21", "controller_url": "https://www.testby.se",
        "dpo_email": "dso@testby.se", "dpo_phone": "0987-11 22 33", "retention_months": 36,
    })
    client.app.dependency_overrides[get_settings] = lambda: custom  # type: ignore[attr-defined]
    html = client.get("/integritet").text
    text = re.sub(r"\s+", " ", html)
    assert "Testby kommun är personuppgiftsansvarig" in text
    assert 'href="mailto:registrator@testby.se"' in html and 'href="tel:+46987654321"' in html
    assert 'href="https://www.testby.se"' in html
    assert 'href="mailto:dso@testby.se"' in html and "0987-11 22 33" in html
    assert "gallras 36 månader (3 år)" in text
    assert "Exempelstad" not in text.replace("Exempelstad kommun finns inte på riktigt", "")


@pytest.mark.parametrize("heading", [
    "Vem ansvarar för uppgifterna?", "Varför samlar vi in synpunkterna?", "Rättslig grund",
    "Hur länge sparas svaren?", "Dina rättigheter", "Kakor och lagring i webbläsaren",
])
def test_privacy_notice_covers_article_13(client: TestClient, heading: str) -> None:
    assert f"<h2>{heading}</h2>" in client.get("/integritet").text


def test_privacy_notice_states_the_retention_the_purge_uses(client: TestClient, settings: Settings) -> None:
    text = re.sub(r"\s+", " ", client.get("/integritet").text)
    assert f"gallras {settings.retention_months} månader" in text
    assert "dataskyddsombud" in text and "Integritetsskyddsmyndigheten" in text


def test_accessibility_statement_names_the_law_the_level_and_how_to_report(client: TestClient) -> None:
    text = re.sub(r"\s+", " ", client.get("/tillganglighet").text)
    assert "lagen (2018:1937) om tillgänglighet till digital offentlig service" in text
    assert "WCAG 2.1 på nivå AA" in text
    assert "<h2>Rapportera brister</h2>" in text and "Digg" in text


def test_tel_links_use_the_international_form() -> None:
    assert tel_href("0123-45 60 00") == "tel:+46123456000"
    assert tel_href("114 14") == "tel:11414"

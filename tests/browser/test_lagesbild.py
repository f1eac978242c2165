"""The lägesbild in the browser: charts and map drawn under the CSP, figures as tables, report, PDF and exports."""

import csv
import io
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, make_concern
from tests.browser_support import axe_violations, describe, screenshot

SERIOUS = ("serious", "critical")
# The tests look at a quarter two years back, where no other test writes concerns.
END = date.today() - timedelta(days=700)
PERIOD = f"from={END - timedelta(days=89)}&to={END}"


def _seed(add_concern: Callable[..., uuid.UUID]) -> None:
    """Six traffic concerns in Norrby this quarter, three lighting concerns in Centrum the quarter before."""
    for n in range(6):
        add_concern(f"Bilar kör alldeles för fort förbi förskolan på Skolvägen, nästan olyckor varje vecka ({n})",
                    themes={"trafik": 0.9}, area_code="norrby", days_ago=702 + n, status="granskad")
    for n in range(3):
        add_concern(f"Mörkt och obehagligt i gångtunneln under järnvägen när lamporna är trasiga ({n})",
                    themes={"fysisk_miljo": 0.8}, area_code="centrum", days_ago=800 + n, time_of_day="natt")


@pytest.fixture(scope="module")
def seeded(server: Server) -> None:
    _seed(lambda description, **kwargs: make_concern(server, description, **kwargs))


def test_dashboard_draws_charts_and_map(as_analyst: Page, server: Server, console_errors: list[str],
                                        seeded: None) -> None:
    page = as_analyst
    page.goto(f"{server.url}/staff/lagesbild?{PERIOD}")
    expect(page.get_by_role("heading", level=1, name="Lägesbild")).to_be_visible()
    themes = page.get_by_role("table", name="Ärenden per tema")
    expect(themes.get_by_role("row", name="Trafik")).to_contain_text("6")
    areas = page.get_by_role("table", name="De tre vanligaste temana i varje område")
    expect(areas.get_by_role("row", name="Norrby")).to_contain_text("Trafik (6)")
    expect(page.locator(".quote").first).to_contain_text("Bilar kör alldeles för fort")
    # Chart.js drew on the canvases and Leaflet drew the district polygons (no tiles, no third-party requests).
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-themes') !== undefined")
    for chart in ("chart-themes", "chart-time", "chart-weekday", "chart-trend"):
        assert page.evaluate(f"Chart.getChart('{chart}').data.datasets[0].data.length") > 0, chart
    expect(page.locator("#karta path.leaflet-interactive").first).to_be_attached()
    assert page.locator("#karta path.leaflet-interactive").count() >= 10
    assert console_errors == []
    screenshot(page, "staff-lagesbild")
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)


def test_period_and_area_filters(as_viewer: Page, server: Server, seeded: None) -> None:
    page = as_viewer
    page.goto(f"{server.url}/staff/lagesbild?{PERIOD}")
    page.get_by_label("Område", exact=True).select_option(label="Centrum")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("table", name="Ärenden per tema").get_by_role("row", name="Trafik")).to_have_count(0)
    # The previous period still holds the tunnel concerns: the change column says where they went.
    themes = page.get_by_role("table", name="Ärenden per tema")
    expect(themes.get_by_role("row", name="Belysning och fysisk miljö")).to_contain_text("−100 %")


def test_public_version_hides_small_counts_and_quotes(as_analyst: Page, server: Server, seeded: None) -> None:
    page = as_analyst
    page.goto(f"{server.url}/staff/lagesbild?{PERIOD}")
    page.get_by_label("Version").select_option(label="Publik: dölj antal under 5")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="Vad invånarna säger")).to_have_count(0)
    expect(page.get_by_text("färre än 5").first).to_be_visible()


def test_report_prints_and_downloads_as_pdf(as_analyst: Page, server: Server, console_errors: list[str],
                                            seeded: None) -> None:
    page = as_analyst
    page.goto(f"{server.url}/staff/lagesbild?{PERIOD}")
    page.get_by_role("link", name="Utskriftsvänlig rapport").click()
    expect(page.get_by_role("heading", level=1, name="Lägesbild: invånarnas upplevda otrygghet")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-themes') !== undefined")
    assert console_errors == []
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)
    page.goto(f"{server.url}/staff/lagesbild?{PERIOD}")
    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("link", name="Rapport som PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    body = open(download.path(), "rb").read()
    assert body.startswith(b"%PDF-")
    assert len(body) > 20_000  # text, tables and the drawn charts, not an empty page


def test_lagesbild_and_concerns_export_csv(as_viewer: Page, server: Server,
                                           add_concern: Callable[..., uuid.UUID]) -> None:
    page = as_viewer
    marker = uuid.uuid4().hex[:8]
    add_concern(f'=HYPERLINK("http://example.org") klotter på skolan {marker}', themes={"skadegorelse": 0.9})
    page.goto(f"{server.url}/staff/arenden?q={marker}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exportera CSV").click()
    download = download_info.value
    assert download.suggested_filename == "arenden.csv"
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Id", "Inkommet", "Kanal"]
    assert len(rows) == 2
    description = rows[1][rows[0].index("Beskrivning")]
    assert description.startswith("'=HYPERLINK")  # a formula in a resident's text stays text
    page.goto(f"{server.url}/staff/lagesbild?{PERIOD}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exportera CSV").click()
    assert download_info.value.suggested_filename.startswith("lagesbild-")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exportera Excel (XLSX)").click()
    assert open(download_info.value.path(), "rb").read(2) == b"PK"

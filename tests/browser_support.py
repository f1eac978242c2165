"""Browser fixtures: Debian's Chromium driven by Playwright, and axe-core accessibility checks.

Import the fixtures into a test folder's conftest.py: `from tests.browser_support import browser, page  # noqa: F401`.
`make browser` installs chromium; `make static` puts axe-core into api/static/vendor.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.servers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "api" / "static" / "vendor" / "axe.min.js"
REPORTS = ROOT / "reports"
# Without these flags Chromium keeps trying to reach Google's servers, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: run `make browser` (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context per test (no shared cookies or storage), Swedish locale, desktop size."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Page, impacts: tuple[str, ...] = ("minor", "moderate", "serious", "critical"),
                   include: str | None = None) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules) in the page; return violations of the given impacts.

    axe is added through Playwright (not by the page), so pages keep a strict CSP without an exception for it.
    """
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `make static` (make test does)")
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    context = f"document.querySelector({include!r})" if include else "document"
    result = page.evaluate(
        f"async () => await axe.run({context}, {{runOnly: {{type: 'tag', values: {WCAG_AA_TAGS!r}}}}})"
    )
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    """Readable failure message: rule, impact and the first offending elements."""
    lines = []
    for v in violations:
        targets = ", ".join(str(node["target"]) for node in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return "\n".join(lines)


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot under reports/screenshots/ (ignored by git) for a person to look at."""
    path = REPORTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False)
    return path

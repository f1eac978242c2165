"""The lägesbild report as PDF: headless Chromium (Debian's, through Playwright) prints the report page.

The page is rendered here and handed to Chromium together with the static files it loads, through Playwright's
request routing, so Chromium makes no network request at all (not even back to this server) and needs no session.
The charts are drawn by the same scripts as on screen, under the same Content-Security-Policy.
"""

import threading
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Route, sync_playwright

from api.core.config import get_settings
from api.core.headers import content_security_policy

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
ORIGIN = "http://rapport.invalid"  # never resolved: every request is answered by `_serve`
REPORT_URL = f"{ORIGIN}/staff/lagesbild/rapport"
# Without these flags Chromium keeps trying to reach Google's servers (same list as tests/browser_support.py).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
RENDER_TIMEOUT_MS = 60_000
# One Chromium at a time: it takes a whole core while it prints.
_one_at_a_time = threading.Lock()


class PdfUnavailable(Exception):
    """Chromium is missing or failed to print."""


def _serve(html: str, route: Route) -> None:
    url = route.request.url
    if url.split("?")[0] == REPORT_URL:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html,
                      headers={"Content-Security-Policy": content_security_policy([])})
        return
    if url.startswith(f"{ORIGIN}/static/"):
        path = (STATIC_DIR / url[len(f"{ORIGIN}/static/"):].split("?")[0]).resolve()
        if path.is_file() and path.is_relative_to(STATIC_DIR):
            route.fulfill(path=str(path))
            return
    route.abort()


def html_to_pdf(html: str) -> bytes:
    """Print the report page to an A4 PDF (print stylesheet, backgrounds on)."""
    executable = get_settings().chromium_path
    if not Path(executable).exists():
        raise PdfUnavailable(f"Chromium saknas ({executable}).")
    with _one_at_a_time, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            raise PdfUnavailable("Chromium kunde inte startas.") from error
        try:
            page = browser.new_page(locale="sv-SE")
            page.route("**/*", lambda route: _serve(html, route))
            page.emulate_media(media="print")  # charts are laid out for the printed page from the start
            page.goto(REPORT_URL, wait_until="load", timeout=RENDER_TIMEOUT_MS)
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        except PlaywrightError as error:
            raise PdfUnavailable("Chromium kunde inte skriva ut rapporten.") from error
        finally:
            browser.close()

"""Every staff page and /lofte at 360 px: nothing scrolls sideways (wide tables scroll inside their own box)."""

import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, log_in
from tests.browser_support import screenshot

PAGES = ["/staff/arenden", "/staff/lagesbild", "/staff/lagesbild/rapport", "/staff/loften", "/staff/loften/nytt",
         "/staff/admin", "/staff/admin/anvandare", "/staff/admin/teman", "/staff/admin/omraden", "/lofte"]


def test_pages_fit_a_360_px_screen(page: Page, server: Server, add_concern: Callable[..., uuid.UUID]) -> None:
    concern_id = add_concern("En väldigt lång beskrivning utan mellanslag: "
                             "ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo")
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, server, "admin")
    for path in [*PAGES, f"/staff/arenden/{concern_id}"]:
        page.goto(f"{server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide at 360 px"
    screenshot(page, "staff-concern-360")

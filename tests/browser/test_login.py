"""Logging in and out of the staff tool in a real browser, by keyboard alone, and at 360 px."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, USERS, Server, log_in
from tests.browser_support import axe_violations, describe, screenshot

SERIOUS = ("serious", "critical")


def test_login_page_is_accessible(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/staff/login")
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)


def test_wrong_password_is_announced_and_accessible(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/staff/login")
    page.get_by_label("Användarnamn").fill(USERS["analyst"])
    page.get_by_label("Lösenord").fill("inte-rätt-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
    expect(page.get_by_label("Användarnamn")).to_have_value(USERS["analyst"])
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)


def test_keyboard_only_login_and_logout(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/staff/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    page.keyboard.press("Enter")  # the skip link moves past the header to the form
    page.keyboard.press("Tab")
    expect(page.get_by_label("Användarnamn")).to_be_focused()
    page.keyboard.type(USERS["analyst"])
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Ärenden")).to_be_visible()
    # The skip link takes keyboard users past the menu to the page's content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    logout = page.get_by_role("button", name="Logga ut")
    logout.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    page.goto(f"{server.url}/staff/arenden")
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()


def test_login_returns_to_the_page_asked_for(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/staff/lagesbild")
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    page.get_by_label("Användarnamn").fill(USERS["viewer"])
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1, name="Lägesbild")).to_be_visible()


def test_narrow_screen_login(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, server, "analyst")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px wide)"
    screenshot(page, "staff-concerns-360")

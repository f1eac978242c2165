"""Reviewing concerns in the browser: filter, correct themes, set status, notes, bulk changes, roles, inert text."""

import uuid
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Server
from tests.browser_support import axe_violations, describe

SERIOUS = ("serious", "critical")


def test_filter_by_free_text_theme_and_status(as_analyst: Page, server: Server,
                                              add_concern: Callable[..., uuid.UUID]) -> None:
    page = as_analyst
    marker = uuid.uuid4().hex[:8]
    add_concern(f"Mopeder kör på gångbanan vid skolan {marker}", themes={"trafik": 0.9})
    add_concern(f"Trasig belysning i tunneln {marker}", themes={"fysisk_miljo": 0.8})
    page.goto(f"{server.url}/staff/arenden")
    page.get_by_label("Fritext").fill(marker)
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="2 ärenden")).to_be_visible()
    page.get_by_label("Tema", exact=True).select_option(label="Trafik")
    page.get_by_label("Status", exact=True).select_option(label="Ny")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="1 ärende", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=f"Mopeder kör på gångbanan vid skolan {marker}")).to_be_visible()
    expect(page.get_by_text(f"Trasig belysning i tunneln {marker}")).to_have_count(0)
    assert f"q={marker}" in page.url and "theme=trafik" in page.url
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)


def test_correct_themes_change_status_and_add_a_note(as_analyst: Page, server: Server,
                                                     add_concern: Callable[..., uuid.UUID]) -> None:
    page = as_analyst
    concern_id = add_concern("Det langas knark bakom idrottshallen varje kväll", themes={"fysisk_miljo": 0.55})
    page.goto(f"{server.url}/staff/arenden/{concern_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ärende från")
    themes = page.get_by_role("group", name="Rätta teman")
    themes.get_by_label("Belysning och fysisk miljö").uncheck()
    themes.get_by_label("Narkotika").check()
    page.get_by_role("button", name="Spara teman").click()
    expect(page.get_by_role("status")).to_have_text("Teman sparade.")
    table = page.get_by_role("table", name="Teman med källa och säkerhet")
    expect(table.get_by_role("row", name="Narkotika Personal")).to_be_visible()
    expect(table.get_by_role("row", name="Belysning och fysisk miljö Modellen 55 % Nej")).to_be_visible()

    page.get_by_role("group", name="Sätt status").get_by_label("Granskad").check()
    page.get_by_role("button", name="Spara status").click()
    expect(page.get_by_role("status")).to_have_text("Status sparad.")
    expect(page.get_by_text("Status: Granskad")).to_be_visible()

    page.get_by_role("textbox", name="Anteckning").fill("Skickat vidare till fältassistenterna.")
    page.get_by_role("button", name="Spara anteckning").click()
    timeline = page.locator("#tidslinje")
    expect(timeline).to_contain_text("rättade teman från Belysning och fysisk miljö till Narkotika")
    expect(timeline).to_contain_text("ändrade status från Ny till Granskad")
    expect(timeline).to_contain_text("Skickat vidare till fältassistenterna.")
    expect(timeline).to_contain_text("analytiker-ali")
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)


def test_bulk_status_change(as_analyst: Page, server: Server, add_concern: Callable[..., uuid.UUID]) -> None:
    page = as_analyst
    marker = uuid.uuid4().hex[:8]
    for n in range(3):
        add_concern(f"Reklamutskick nummer {n} {marker}", themes={"ovrigt": 0.4})
    page.goto(f"{server.url}/staff/arenden?q={marker}")
    page.get_by_label("Markera alla på sidan").check()
    page.get_by_label("Ny status").select_option(label="Avvisad")
    page.get_by_role("button", name="Ändra markerade").click()
    expect(page.get_by_role("status")).to_have_text("Ändrat på 3 ärenden.")
    expect(page.locator("tbody .badge--avvisad")).to_have_count(3)


def test_viewer_reads_but_is_refused_edits(as_viewer: Page, server: Server,
                                           add_concern: Callable[..., uuid.UUID]) -> None:
    page = as_viewer
    concern_id = add_concern("Gatlyktorna på Parkvägen har varit släckta i en månad")
    page.goto(f"{server.url}/staff/arenden/{concern_id}")
    expect(page.get_by_text("Gatlyktorna på Parkvägen har varit släckta i en månad")).to_be_visible()
    expect(page.get_by_role("button", name="Spara status")).to_have_count(0)
    expect(page.get_by_role("button", name="Ändra markerade")).to_have_count(0)
    # Posting the form anyway (with the viewer's own valid CSRF token) is refused.
    token = page.locator('input[name="csrf_token"]').first.input_value()
    response = page.request.post(f"{server.url}/staff/arenden/{concern_id}/status",
                                 form={"status": "avvisad", "csrf_token": token}, max_redirects=0)
    assert response.status == 403
    assert "Du saknar behörighet" in response.text()
    page.reload()
    expect(page.get_by_text("Status: Ny")).to_be_visible()
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)


def test_resident_markup_renders_as_inert_text(as_analyst: Page, server: Server,
                                               add_concern: Callable[..., uuid.UUID]) -> None:
    page = as_analyst
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    script = "<script>window.__pwned = 1; alert('xss')</script>"
    image = "<img src=x onerror=\"window.__pwned = 2; alert('xss')\">"
    concern_id = add_concern(f"Otryggt vid torget {script} {image}", suggestion=f"Mer ljus {image}",
                             place=f"Torget {script}")
    page.goto(f"{server.url}/staff/arenden/{concern_id}")
    expect(page.locator("#beskrivning")).to_have_text(f"Otryggt vid torget {script} {image}")
    expect(page.locator("#forslag")).to_have_text(f"Mer ljus {image}")
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    page.goto(f"{server.url}/staff/arenden?q=Otryggt+vid+torget")
    expect(page.get_by_role("link", name="Otryggt vid torget")).to_contain_text("<script>")
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


def _tab_to(page: Page, target: Locator, presses: int = 120) -> None:
    """Press Tab until `target` has the focus: it is reachable by keyboard alone."""
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} was not reached with Tab")


def test_keyboard_only_review(as_analyst: Page, server: Server, add_concern: Callable[..., uuid.UUID]) -> None:
    page = as_analyst
    marker = uuid.uuid4().hex[:8]
    add_concern(f"Folk röker på lekplatsen och lämnar fimpar {marker}", themes={"nedskrapning": 0.7})
    page.goto(f"{server.url}/staff/arenden")
    _tab_to(page, page.get_by_label("Fritext"))
    page.keyboard.type(marker)
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name=f"Folk röker på lekplatsen och lämnar fimpar {marker}")
    _tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ärende från")
    _tab_to(page, page.get_by_role("radio", name="Ny"))
    page.keyboard.press("ArrowRight")  # radio buttons move with the arrow keys
    expect(page.get_by_role("radio", name="Granskad")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Spara status")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Status sparad.")
    # Focus is visible: the focused control gets an outline.
    _tab_to(page, page.get_by_role("button", name="Spara status"))
    outline = page.get_by_role("button", name="Spara status").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"


def test_demo_data_is_labelled_on_every_staff_page(as_viewer: Page, server: Server,
                                                   add_concern: Callable[..., uuid.UUID]) -> None:
    from api.models import Concern

    page = as_viewer
    page.goto(f"{server.url}/staff/arenden")
    expect(page.get_by_text("Demodata.")).to_have_count(0)
    concern_id = add_concern("Påhittat ärende i demodata", is_demo=True)
    try:
        for path in ("/staff/arenden", "/staff/lagesbild", "/staff/loften", "/staff/lagesbild/rapport"):
            page.goto(f"{server.url}{path}")
            expect(page.get_by_role("note").filter(has_text="Demodata.")).to_be_visible()
        violations = axe_violations(page, SERIOUS)
        assert not violations, describe(violations)
    finally:
        with server.sessions() as session:
            session.delete(session.get(Concern, concern_id))
            session.commit()

"""Medborgarlöften from the coordinator's side to the resident's: write, publish, follow up, see on /lofte."""

import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server
from tests.browser_support import axe_violations, describe, screenshot

SERIOUS = ("serious", "critical")


def _check_axe(page: Page) -> None:
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)


def test_from_concern_to_published_promise_on_the_public_page(
    as_analyst: Page, server: Server, browser, add_concern: Callable[..., uuid.UUID],  # type: ignore[no-untyped-def]
    console_errors: list[str],
) -> None:
    page = as_analyst
    marker = uuid.uuid4().hex[:6]
    title = f"Vi lyser upp gångtunneln vid Ekbacken {marker}"
    concern_id = add_concern("Gångtunneln vid Ekbacken är becksvart på kvällarna, jag går hellre över spåren",
                             themes={"fysisk_miljo": 0.93}, area_code="ekbacken")
    page.goto(f"{server.url}/staff/arenden/{concern_id}")
    page.get_by_role("link", name="Skriv ett medborgarlöfte utifrån ärendet").click()
    expect(page.get_by_role("heading", level=1, name="Nytt medborgarlöfte")).to_be_visible()
    # The concern's area, theme and link come along.
    expect(page.get_by_role("group", name="Områden").get_by_label("Ekbacken")).to_be_checked()
    expect(page.get_by_role("group", name="Teman").get_by_label("Belysning och fysisk miljö")).to_be_checked()
    expect(page.get_by_label("Ärenden som ligger bakom löftet (frivilligt)")).to_have_value(str(concern_id))
    _check_axe(page)

    page.get_by_label("Rubrik").fill(title)
    page.get_by_label("Löftet", exact=True).fill("Kommunen sätter upp ny belysning i tunneln och klipper buskarna "
                                                 "vid uppgångarna. Polisen går förbi på kvällarna under hösten.")
    page.get_by_role("group", name="Vem ansvarar?").get_by_label("Kommunen").check()
    page.get_by_label("Aktivitet 1", exact=True).fill("Ny LED-belysning i tunneln")
    page.get_by_label("Aktivitet 2", exact=True).fill("Buskröjning vid uppgångarna")
    page.get_by_label("Status för aktivitet 2").select_option(label="Pågår")
    page.get_by_role("button", name="Spara som utkast").click()
    expect(page.get_by_role("status")).to_have_text("Löftet är sparat som utkast.")
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()

    # A draft is not public yet.
    public = browser.new_context(locale="sv-SE").new_page()
    public.goto(f"{server.url}/lofte")
    expect(public.get_by_text(title)).to_have_count(0)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_role("status")).to_contain_text("Löftet är publicerat")
    page.get_by_role("combobox", name="Status för Ny LED-belysning i tunneln").select_option(label="Klar")
    page.get_by_role("button", name="Spara status för Ny LED-belysning i tunneln").click()
    expect(page.get_by_role("status")).to_have_text("Aktivitetens status är sparad.")
    expect(page.locator(".timeline")).to_contain_text("ändrade status till Publicerad")
    _check_axe(page)

    page.get_by_role("link", name="Följ upp löftet").click()
    expect(page.get_by_role("heading", level=1, name=f"Uppföljning: {title}")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-followup') !== undefined")
    assert console_errors == []  # every page so far ran its scripts under the strict CSP
    _check_axe(page)

    public.goto(f"{server.url}/lofte")
    card = public.get_by_role("article", name=title)
    expect(card.first).to_be_visible()
    expect(public.get_by_role("heading", level=2, name="Ekbacken")).to_be_visible()
    public.get_by_label("Visa löften för området").select_option(label="Ekbacken")
    public.get_by_role("button", name="Visa").click()
    card = public.get_by_role("article", name=title)
    expect(card).to_contain_text("Kommunen lovar")
    expect(card).to_contain_text("Klar Ny LED-belysning i tunneln")
    expect(card).to_contain_text("Pågår Buskröjning vid uppgångarna")
    # Staff-only things never reach the public page.
    expect(public.get_by_text("Gångtunneln vid Ekbacken är becksvart")).to_have_count(0)
    screenshot(public, "public-lofte")
    _check_axe(public)
    # A place name from the bot's link works as well as a code.
    public.goto(f"{server.url}/lofte?omrade=Ekbacken")
    expect(public.get_by_role("article", name=title)).to_be_visible()
    public.context.close()


def test_promise_form_keeps_input_when_refused(as_analyst: Page, server: Server) -> None:
    page = as_analyst
    page.goto(f"{server.url}/staff/loften/nytt")
    page.get_by_label("Rubrik").fill("Mer polis vid stationen")
    page.get_by_label("Löftet", exact=True).fill("Polisen patrullerar vid stationen fredag och lördag kväll.")
    page.get_by_label("Gäller från").fill("2026-09-01")
    page.get_by_label("Gäller till (frivilligt)").fill("2026-03-01")
    page.get_by_role("button", name="Spara som utkast").click()
    expect(page.get_by_role("alert")).to_contain_text("Löftets slutdatum ligger före startdatumet.")
    expect(page.get_by_label("Rubrik")).to_have_value("Mer polis vid stationen")
    _check_axe(page)


def test_publishing_needs_an_area(as_analyst: Page, server: Server) -> None:
    page = as_analyst
    page.goto(f"{server.url}/staff/loften/nytt")
    page.get_by_label("Rubrik").fill("Löfte utan område")
    page.get_by_label("Löftet", exact=True).fill("Text.")
    page.get_by_role("button", name="Spara som utkast").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_role("heading", level=1, name="Ändringen gjordes inte")).to_be_visible()
    expect(page.get_by_text("minst ett område")).to_be_visible()


def test_viewer_sees_promises_but_cannot_write(as_viewer: Page, server: Server) -> None:
    page = as_viewer
    page.goto(f"{server.url}/staff/loften")
    expect(page.get_by_role("heading", level=1, name="Medborgarlöften")).to_be_visible()
    expect(page.get_by_role("link", name="Nytt medborgarlöfte")).to_have_count(0)
    _check_axe(page)
    response = page.goto(f"{server.url}/staff/loften/nytt")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1, name="Du saknar behörighet")).to_be_visible()


def test_empty_public_page_is_accessible_and_narrow(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{server.url}/lofte?omrade=finns-inte")
    expect(page.get_by_role("heading", level=1, name="Medborgarlöften")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Vi hittade inget område")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _check_axe(page)

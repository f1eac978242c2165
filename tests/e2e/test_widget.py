"""The chat widget on the demo page, in Debian's Chromium, against the real API, Rasa and action server.

A resident opens the widget, chats a concern to the end with buttons and typed text, reloads the page and goes on,
does the same with the keyboard only, meets a server that cannot be reached, uses a 360 px wide phone, and ends the
conversation. axe-core checks the page with the widget open; a screenshot mid-conversation is saved under
reports/screenshots/ for a person to look at.
"""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from api.models import Concern
from tests.browser_support import axe_violations, describe, screenshot
from tests.e2e.conftest import Stack

# Rasa answers in seconds, but the machine is shared: wait generously, never assert on time.
expect.set_options(timeout=90_000)

STORE_KEY = "trygghetsdialog.v1"
WIDGET = ".trygghetsdialog-widget"

# What the resident answers to each of the form's questions (matched on a phrase of the question): typed text or
# a quick-reply button's title.
ANSWERS: dict[str, tuple[str, str]] = {
    "Var händer det": ("type", "Stationsgatan"),
    "När på dygnet": ("button", "Kväll"),
    "Vilka dagar": ("button", "Helger"),
    "Hur ofta": ("button", "Varje vecka"),
    "Hur trygg": ("button", "2"),
    "tryggare": ("type", "Mer ljus och att någon vuxen rör sig där på kvällarna"),
}


@pytest.fixture
def demo(page: Page, demo_url: str) -> Page:
    page.goto(demo_url)
    expect(launcher(page)).to_be_visible()
    return page


def launcher(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("button", name="Chatta om trygghet")


def message_box(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_label("Ditt meddelande")


def bot_messages(page: Page) -> list[str]:
    return page.locator(f"{WIDGET} .msg-bot").all_inner_texts()


def widget_focus(page: Page) -> str:
    """What has the keyboard focus inside the widget: its text, or the tag name of a text field."""
    return str(page.evaluate(
        """(selector) => {
            const active = document.querySelector(selector).shadowRoot.activeElement;
            if (!active) return "";
            return active.tagName === "TEXTAREA" ? "TEXTAREA" : active.textContent.trim();
        }""",
        WIDGET,
    ))


def turn(page: Page, act: Callable[[], None]) -> str:
    """Do something that sends a message; wait for the bot's answer; return the text of its new messages."""
    before = len(bot_messages(page))
    act()
    page.wait_for_function(
        """([selector, before]) => {
            const root = document.querySelector(selector).shadowRoot;
            return root.querySelectorAll('.msg-bot').length > before && !root.querySelector('.send').disabled;
        }""",
        arg=[WIDGET, before],
        timeout=90_000,
    )
    return "\n".join(bot_messages(page)[before:])


def ending_turn(page: Page, act: Callable[[], None]) -> str:
    """Like `turn` for a message that ends the conversation: the widget then clears its log and shows only the
    bot's confirmation, so wait for that confirmation rather than for more messages than before."""
    act()
    page.wait_for_function(
        """(selector) => {
            const root = document.querySelector(selector).shadowRoot;
            return [...root.querySelectorAll('.msg-bot')].some((m) => m.textContent.includes('Samtalet är avslutat'))
                && !root.querySelector('.send').disabled;
        }""",
        arg=WIDGET,
        timeout=90_000,
    )
    return "\n".join(bot_messages(page))


def type_message(page: Page, text: str) -> str:
    def act() -> None:
        message_box(page).fill(text)
        message_box(page).press("Enter")

    return turn(page, act)


def press_button(page: Page, title: str) -> str:
    return turn(page, lambda: page.get_by_role("button", name=title, exact=True).click())


def answer_form(page: Page, replies: str, answer: Callable[[str, tuple[str, str]], str]) -> str:
    """Answer the form's questions until the summary; return the summary."""
    asked: list[str] = []
    for _ in range(len(ANSWERS) + 2):
        if "Stämmer det" in replies:
            return replies
        question = next((q for q in ANSWERS if q in replies), None)
        assert question is not None, f"unexpected bot reply: {replies}"
        assert question not in asked, f"{question!r} was asked twice"
        asked.append(question)
        replies = answer(question, ANSWERS[question])
    raise AssertionError(f"no summary after {asked}")


def stored(stack: Stack, description_part: str) -> list[Concern]:
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Concern).where(Concern.description.contains(description_part))).all())
    engine.dispose()
    return rows


def session_state(page: Page) -> object:
    return page.evaluate(f"() => JSON.parse(sessionStorage.getItem('{STORE_KEY}'))")


def test_a_whole_conversation_with_buttons_and_typed_text_is_stored(demo: Page, stack: Stack) -> None:
    page = demo
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    marker = "Det är alltid mörkt i cykeltunneln och gäng står och hänger där"
    launcher(page).click()
    expect(page.get_by_role("dialog", name="Trygghetsdialog")).to_be_visible()
    expect(message_box(page)).to_be_focused()
    expect(message_box(page)).to_have_attribute("maxlength", "1000")  # the gateway's CHAT_MAX_CHARS

    replies = type_message(page, marker)
    assert any(question in replies for question in ANSWERS), replies

    # Mid-conversation: the page passes axe with the widget open and its quick replies showing.
    expect(page.locator(f"{WIDGET} .reply").first).to_be_visible()
    expect(page.locator(f"{WIDGET} .msg-bot").last).to_be_in_viewport()  # the question is not scrolled away
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    screenshot(page, "widget-mid-conversation")

    # A reload in the same tab keeps the conversation (sessionStorage): transcript, buttons, open panel.
    session_id = session_state(page)["sessionId"]  # type: ignore[index]
    buttons = page.locator(f"{WIDGET} .reply").all_inner_texts()
    page.reload()
    expect(page.get_by_role("dialog", name="Trygghetsdialog")).to_be_visible()
    expect(page.locator(f"{WIDGET} .msg-me").first).to_have_text(f"Du: {marker}")
    expect(page.locator(f"{WIDGET} .reply")).to_have_text(buttons)
    assert session_state(page)["sessionId"] == session_id  # type: ignore[index]
    assert page.evaluate("() => document.cookie") == ""
    assert page.evaluate("() => localStorage.length") == 0

    def answer(question: str, how: tuple[str, str]) -> str:
        kind, value = how
        return press_button(page, value) if kind == "button" else type_message(page, value)

    summary = answer_form(page, replies, answer)
    assert "på kvällen" in summary
    expect(page.locator(f"{WIDGET} .msg-me").get_by_text("Kväll", exact=True)).to_have_count(1)  # the title shows
    assert "Får jag spara" in press_button(page, "Ja, det stämmer")
    assert "sparat" in press_button(page, "Ja, spara")
    # The page, the widget and the whole conversation: no request left the API's origin.
    assert requested and all(url.startswith(stack.api_url + "/") for url in requested), requested

    concerns = stored(stack, "alltid mörkt i cykeltunneln")
    assert len(concerns) == 1
    concern = concerns[0]
    assert concern.channel == "web" and concern.consent is True
    assert (concern.time_of_day, concern.weekday, concern.frequency, concern.felt_safety) == (
        "kvall", "helger", "varje_vecka", 2)
    assert concern.suggestion and "Mer ljus" in concern.suggestion


def test_keyboard_only(demo: Page, stack: Stack) -> None:
    page = demo
    marker = "Det är så mörkt på gångvägen bakom skolan att man inte vågar gå där efter jobbet"
    for _ in range(60):  # Tab through the page to the launcher, as a keyboard user does
        page.keyboard.press("Tab")
        if widget_focus(page) == "Chatta om trygghet":
            break
    assert widget_focus(page) == "Chatta om trygghet"
    page.keyboard.press("Enter")
    assert widget_focus(page) == "TEXTAREA"

    # Escape closes and gives the focus back to the launcher; Enter opens again.
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Trygghetsdialog")).to_be_hidden()
    assert widget_focus(page) == "Chatta om trygghet"
    page.keyboard.press("Enter")
    assert widget_focus(page) == "TEXTAREA"

    def typed(text: str) -> str:
        def act() -> None:
            page.keyboard.type(text)
            page.keyboard.press("Enter")

        return turn(page, act)

    def chosen(title: str) -> str:
        """From the text field, Shift+Tab back to the quick reply, then press Enter on it."""
        assert widget_focus(page) == "TEXTAREA"
        for _ in range(12):
            page.keyboard.press("Shift+Tab")
            if widget_focus(page) == title:
                break
        assert widget_focus(page) == title, f"the {title!r} button cannot be reached with the keyboard"
        replies = turn(page, lambda: page.keyboard.press("Enter"))
        assert widget_focus(page) == "TEXTAREA", "after a quick reply the focus goes back to the text field"
        return replies

    replies = typed(marker)
    summary = answer_form(page, replies, lambda _, how: chosen(how[1]) if how[0] == "button" else typed(how[1]))
    assert "Stämmer det" in summary
    assert "Får jag spara" in chosen("Ja, det stämmer")
    assert "sparar ingenting" in chosen("Nej, spara inte")
    assert stored(stack, "mörkt på gångvägen bakom skolan") == []


def test_unreachable_server_shows_a_swedish_error_and_retry_keeps_the_text(demo: Page, stack: Stack) -> None:
    page = demo
    text = "Det kastas sten på bussarna vid ändhållplatsen i Norrby"
    launcher(page).click()
    page.route("**/api/v1/chat", lambda route: route.abort("connectionrefused"))
    message_box(page).fill(text)
    message_box(page).press("Enter")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Det gick inte att nå chatten just nu. Det du skrev finns kvar")
    expect(message_box(page)).to_have_value(text)
    assert page.locator(f"{WIDGET} .msg-me").count() == 0

    page.unroute("**/api/v1/chat")
    replies = turn(page, lambda: page.get_by_role("button", name="Försök igen").click())
    assert replies
    expect(page.locator(f"{WIDGET} .alert")).to_be_empty()
    expect(message_box(page)).to_have_value("")
    expect(page.locator(f"{WIDGET} .msg-me")).to_have_text([f"Du: {text}"])


def test_links_in_bot_messages_are_safe_and_resident_text_stays_text(demo: Page) -> None:
    page = demo
    launcher(page).click()
    hostile = 'Hej <img src=x onerror="window.pwned=1"><b>fet</b>'
    type_message(page, hostile)
    expect(page.locator(f"{WIDGET} .msg-me").first).to_have_text(f"Du: {hostile}")
    assert page.locator(f"{WIDGET} img, {WIDGET} b").count() == 0
    assert page.evaluate("() => window.pwned") is None

    replies = type_message(page, "kan jag prata med en riktig människa?")
    assert "114 14" in replies
    links = page.locator(f"{WIDGET} .msg-bot a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "tel:11414" in hrefs and "tel:112" in hrefs
    assert all(href and href.startswith(("https://", "http://", "tel:")) for href in hrefs), hrefs


@pytest.fixture
def phone(browser: Browser, demo_url: str) -> Iterator[Page]:
    context = browser.new_context(locale="sv-SE", viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(demo_url)
    expect(launcher(page)).to_be_visible()
    yield page
    context.close()


def test_works_on_a_360_px_wide_phone(phone: Page) -> None:
    page = phone
    launcher(page).click()
    dialog = page.get_by_role("dialog", name="Trygghetsdialog")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360

    type_message(page, "Det är jättemörkt och folk cyklar utan lyse så man blir nästan påkörd")
    quick_replies = page.locator(f"{WIDGET} .reply")
    expect(quick_replies.first).to_be_visible()
    for i in range(quick_replies.count()):
        expect(quick_replies.nth(i)).to_be_in_viewport()
    for name in ("Skicka", "Avsluta samtalet", "Stäng chatten"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_in_viewport()
    expect(message_box(page)).to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    screenshot(page, "widget-360px")
    assert press_button(page, quick_replies.first.inner_text())


def test_ending_the_conversation_keeps_nothing(demo: Page, stack: Stack) -> None:
    """Needs a model trained with the end_conversation intent (bot/domain/end_conversation.yml)."""
    page = demo
    marker = "Det är fullt med krossat glas och klotter överallt, det känns otryggt att gå där"
    launcher(page).click()
    replies = type_message(page, marker)
    assert any(question in replies for question in ANSWERS), replies
    first_session = session_state(page)["sessionId"]  # type: ignore[index]

    replies = ending_turn(page, lambda: page.get_by_role("button", name="Avsluta samtalet").click())
    assert "Samtalet är avslutat" in replies and "sparas" in replies
    expect(page.locator(f"{WIDGET} .msg-me")).to_have_count(0)  # the resident's words are off the screen
    assert page.evaluate(f"() => sessionStorage.getItem('{STORE_KEY}')") is None
    expect(message_box(page)).to_be_focused()
    assert stored(stack, "krossat glas och klotter") == []

    # Anything more is a new conversation.
    type_message(page, "Hej igen")
    assert session_state(page)["sessionId"] not in (None, first_session)  # type: ignore[index]

    # Residents can also say it in their own words.
    type_message(page, "Det luktar gräs i hela trapphuset varje kväll")
    def say_goodbye() -> None:
        message_box(page).fill("nej förresten, jag vill avsluta chatten nu")
        message_box(page).press("Enter")

    replies = ending_turn(page, say_goodbye)
    assert "Samtalet är avslutat" in replies
    assert page.evaluate(f"() => sessionStorage.getItem('{STORE_KEY}')") is None
    page.reload()
    launcher(page).click()
    expect(page.locator(f"{WIDGET} .msg-me")).to_have_count(0)

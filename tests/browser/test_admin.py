"""Administration in the browser: users and roles, themes, area import; only admins get in."""

import json
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import AREAS_FILE, PASSWORD, Server, log_in
from tests.browser_support import axe_violations, describe

SERIOUS = ("serious", "critical")


def _check_axe(page: Page) -> None:
    violations = axe_violations(page, SERIOUS)
    assert not violations, describe(violations)


def test_admin_creates_a_user_who_can_then_log_in_and_is_deactivated(as_admin: Page, server: Server,
                                                                     browser) -> None:  # type: ignore[no-untyped-def]
    page = as_admin
    username = f"samordnare-{uuid.uuid4().hex[:6]}"
    page.goto(f"{server.url}/staff/admin")
    _check_axe(page)
    page.get_by_role("link", name="Användare och roller").click()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Roll", exact=True).select_option(label="Läsare")
    page.get_by_label("Startlösenord").fill(PASSWORD)
    page.get_by_role("button", name="Skapa användare").click()
    expect(page.get_by_role("status")).to_have_text("Användaren är skapad.")
    row = page.get_by_role("row", name=username)
    expect(row.get_by_label(f"Roll för {username}")).to_have_value("viewer")
    _check_axe(page)

    other = browser.new_context(locale="sv-SE").new_page()
    other.goto(f"{server.url}/staff/login")
    other.get_by_label("Användarnamn").fill(username)
    other.get_by_label("Lösenord").fill(PASSWORD)
    other.get_by_role("button", name="Logga in").click()
    expect(other.get_by_role("heading", level=1, name="Ärenden")).to_be_visible()

    row.get_by_label(f"Aktivt konto för {username}").uncheck()
    row.get_by_role("button", name=f"Spara {username}").click()
    expect(page.get_by_role("status")).to_have_text("Användaren är ändrad.")
    # The deactivated user's open session stops working at once.
    other.reload()
    expect(other.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    other.context.close()


def test_admin_adds_renames_and_retires_a_theme(as_admin: Page, server: Server) -> None:
    page = as_admin
    code = f"eldning_{uuid.uuid4().hex[:4]}"
    page.goto(f"{server.url}/staff/admin/teman")
    page.get_by_label("Kod").fill(code)
    page.get_by_label("Benämning", exact=True).fill("Eldning")
    page.get_by_role("button", name="Lägg till tema").click()
    expect(page.get_by_role("status")).to_have_text("Temat är skapat.")
    page.get_by_label(f"Benämning för {code}").fill("Eldning och brand")
    page.get_by_label(f"Används ({code})").uncheck()
    page.get_by_role("button", name=f"Spara {code}").click()
    expect(page.get_by_role("status")).to_have_text("Temat är ändrat.")
    expect(page.get_by_role("row", name=code)).to_contain_text("Utgått")
    expect(page.get_by_label(f"Benämning för {code}")).to_have_value("Eldning och brand")
    _check_axe(page)
    page.get_by_label("Kod").fill("Ogiltig Kod")
    page.get_by_label("Benämning", exact=True).fill("x")
    page.locator("form").filter(has=page.get_by_label("Kod")).evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Lägg till tema").click()
    expect(page.get_by_role("alert")).to_contain_text("Temakoden får bara innehålla")


def test_admin_imports_areas(as_admin: Page, server: Server, tmp_path: Path) -> None:
    page = as_admin
    data = json.loads(AREAS_FILE.read_text(encoding="utf-8"))
    data["districts"].append({"code": "testby", "name": "Testby", "aliases": ["Testbyn"]})
    upload = tmp_path / "omraden.json"
    upload.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page.goto(f"{server.url}/staff/admin/omraden")
    page.get_by_label("Områdesfil (JSON)").set_input_files(str(upload))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("status")).to_have_text("Områdena är importerade.")
    expect(page.get_by_role("row", name="Testby")).to_contain_text("Stadsdel")
    _check_axe(page)
    bad = tmp_path / "fel.json"
    bad.write_text("{inte json", encoding="utf-8")
    page.get_by_label("Områdesfil (JSON)").set_input_files(str(bad))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("alert")).to_contain_text("Filen importerades inte")
    expect(page.get_by_role("row", name="Testby")).to_be_visible()  # nothing lost


def test_analyst_is_refused_administration(page: Page, server: Server) -> None:
    log_in(page, server, "analyst")
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    response = page.goto(f"{server.url}/staff/admin/anvandare")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1, name="Du saknar behörighet")).to_be_visible()
    _check_axe(page)

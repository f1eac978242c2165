"""Jinja2 templates for the staff and public pages (autoescaped: residents' words always render as text)."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from api.staff.permissions import PERMISSIONS, ROLE_LABELS, has_permission

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
templates = Jinja2Templates(directory=TEMPLATE_DIR)

# Swedish labels for the codes shown on the pages (the codes are shared with the bot and the API).
LABELS = {
    "ROLE_LABELS": ROLE_LABELS,
    "STATUS_LABELS": {"ny": "Ny", "granskad": "Granskad", "hanterad": "Hanterad", "avvisad": "Avvisad"},
    "SOURCE_LABELS": {"model": "Modellen", "resident": "Invånaren", "staff": "Personal"},
    "CHANNEL_LABELS": {"web": "Webbchatt", "rest": "REST", "telegram": "Telegram", "sms": "SMS",
                       "whatsapp": "WhatsApp", "test": "Test"},
    "TIME_OF_DAY_LABELS": {"morgon": "Morgon", "dag": "Dag", "kvall": "Kväll", "natt": "Natt",
                           "hela_dygnet": "Hela dygnet", "vet_inte": "Vet inte"},
    "WEEKDAY_LABELS": {"mandag": "Måndag", "tisdag": "Tisdag", "onsdag": "Onsdag", "torsdag": "Torsdag",
                       "fredag": "Fredag", "lordag": "Lördag", "sondag": "Söndag", "vardagar": "Vardagar",
                       "helger": "Helger", "alla_dagar": "Alla dagar", "vet_inte": "Vet inte"},
    "FREQUENCY_LABELS": {"dagligen": "Dagligen", "varje_vecka": "Varje vecka", "varje_manad": "Varje månad",
                         "ibland": "Ibland", "en_gang": "En gång", "vet_inte": "Vet inte"},
    "PARTY_LABELS": {"polis": "Polisen", "kommun": "Kommunen", "annan": "Annan aktör"},
    "PROMISE_STATUS_LABELS": {"utkast": "Utkast", "publicerad": "Publicerad", "avslutad": "Avslutad"},
    "ACTIVITY_STATUS_LABELS": {"planerad": "Planerad", "pagar": "Pågår", "klar": "Klar", "installd": "Inställd"},
}
STATUS_LABELS = LABELS["STATUS_LABELS"]
CHANNEL_LABELS = LABELS["CHANNEL_LABELS"]
templates.env.globals.update(LABELS, PERMISSIONS=PERMISSIONS, has_permission=has_permission)


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; `context` adds to what every page gets (request, staff, csrf token, demo flag)."""
    base: dict[str, Any] = {
        "staff": getattr(request.state, "staff", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "demo": getattr(request.state, "demo", False),
    }
    return templates.TemplateResponse(request=request, name=name, context=base | context, status_code=status_code)

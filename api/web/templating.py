"""Jinja2 templates for the staff and public pages (autoescaped: residents' words always render as text)."""

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from api.staff import labels
from api.staff.periods import LOCAL_TZ, as_utc
from api.staff.permissions import PERMISSIONS, ROLE_LABELS, has_permission

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
templates = Jinja2Templates(directory=TEMPLATE_DIR)

# Swedish labels for the codes shown on the pages (one registry: api/staff/labels.py).
LABELS: dict[str, dict[str, str] | dict[int, str]] = {
    "ROLE_LABELS": ROLE_LABELS,
    "STATUS_LABELS": labels.CONCERN_STATUS,
    "SOURCE_LABELS": {"model": "Modellen", "resident": "Invånaren", "staff": "Personal"},
    "TIME_OF_DAY_LABELS": labels.TIME_OF_DAY,
    "WEEKDAY_LABELS": labels.WEEKDAY,
    "FREQUENCY_LABELS": labels.FREQUENCY,
    "FELT_SAFETY_LABELS": labels.FELT_SAFETY,
    "PARTY_LABELS": labels.PROMISE_PARTY,
    "PROMISE_STATUS_LABELS": labels.PROMISE_STATUS,
    "ACTIVITY_STATUS_LABELS": labels.ACTIVITY_STATUS,
}
STATUS_LABELS = labels.CONCERN_STATUS
__all__ = ["CHANNEL_LABELS", "LABELS", "ROLE_LABELS", "STATUS_LABELS", "names", "render", "templates"]
CHANNEL_LABELS: dict[str, str] = {"web": "Webbchatt", "rest": "REST", "telegram": "Telegram", "sms": "SMS",
                                   "whatsapp": "WhatsApp", "test": "Test"}


def names(codes: list[str], mapping: dict[str, str]) -> str:
    """Codes as their names, comma-separated: `{{ promise.area_codes | names(area_names) }}`."""
    return ", ".join(mapping.get(code, code) for code in codes)


def local_time(value: datetime) -> datetime:
    """A stored instant (UTC; naive from SQLite) in Swedish local time, as staff read the clock."""
    return as_utc(value).astimezone(LOCAL_TZ)


templates.env.filters["names"] = names
templates.env.filters["local"] = local_time
templates.env.globals.update(
    LABELS, CHANNEL_LABELS=CHANNEL_LABELS, PERMISSIONS=PERMISSIONS, has_permission=has_permission
)


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; `context` adds to what every page gets (request, staff, csrf token, demo flag)."""
    base: dict[str, Any] = {
        "staff": getattr(request.state, "staff", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "demo": getattr(request.state, "demo", False),
    }
    return templates.TemplateResponse(request=request, name=name, context=base | context, status_code=status_code)

"""Jinja2 templates for the staff and public pages (autoescaped: residents' words always render as text)."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
templates = Jinja2Templates(directory=TEMPLATE_DIR)

# Swedish labels for codes shown on the pages.
ROLE_LABELS = {"viewer": "Läsare", "analyst": "Analytiker", "admin": "Administratör"}
templates.env.globals["ROLE_LABELS"] = ROLE_LABELS


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; `context` adds to what every page gets (request, staff, csrf token, demo flag)."""
    base: dict[str, Any] = {
        "staff": getattr(request.state, "staff", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "demo": getattr(request.state, "demo", False),
    }
    return templates.TemplateResponse(request=request, name=name, context=base | context, status_code=status_code)

"""Public pages: the demo page of the fictional Exempelstad kommun with the chat widget, the privacy notice and the
accessibility statement.

The templates are in `api/templates/public/` and extend `public/base.html`, the shared layout of every public page
(the promises page /lofte extends it too). The privacy notice is written from the settings (controller, contacts,
retention), so it always states what this installation does.
"""

import re

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from api.deps import SettingsDep
from api.web.templating import render

router = APIRouter(tags=["pages"], include_in_schema=False)

# Where the widget is served from; the demo page adds it with this one tag, as a municipality would.
WIDGET_SCRIPT = "/static/widget/widget.js"


def tel_href(phone: str) -> str:
    """A tel: link for a Swedish number as written on the page ("0123-45 60 00" → "tel:+46123456000")."""
    digits = re.sub(r"\D", "", phone)
    return f"tel:+46{digits[1:]}" if digits.startswith("0") else f"tel:{digits}"


@router.get("/", response_class=HTMLResponse)
def demo_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Exempelstad kommun's page about the medborgardialog, with the chat widget."""
    return render(request, "public/demo.html", settings=settings, widget_script=WIDGET_SCRIPT,
                  controller_tel=tel_href(settings.controller_phone))


@router.get("/integritet", response_class=HTMLResponse)
def privacy_notice(request: Request, settings: SettingsDep) -> HTMLResponse:
    """How residents' words are handled (GDPR art. 13), from the settings."""
    return render(
        request, "public/integritet.html", settings=settings,
        controller_tel=tel_href(settings.controller_phone), dpo_tel=tel_href(settings.dpo_phone),
    )


@router.get("/tillganglighet", response_class=HTMLResponse)
def accessibility_statement(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The accessibility statement (lagen om tillgänglighet till digital offentlig service)."""
    return render(request, "public/tillganglighet.html", settings=settings,
                  controller_tel=tel_href(settings.controller_phone))

"""Administration pages (admin role): staff accounts, themes and areas. The rules live in the staff service
(`api/staff/users.py`, `themes.py`, `areas.py`); every change there is audited.
"""

import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from api.crud import ROLES
from api.deps import SessionDep
from api.staff import areas, audit, themes, users
from api.web.deps import CsrfChecked, PageAdmin
from api.web.templating import ROLE_LABELS, render

router = APIRouter(prefix="/staff/admin", include_in_schema=False)
BASE = "/staff/admin"
MAX_AREAS_FILE_BYTES = 5 * 1024 * 1024
FLASH = {
    "anvandare": "Användaren är skapad.",
    "anvandare-andrad": "Användaren är ändrad.",
    "tema": "Temat är skapat.",
    "tema-andrat": "Temat är ändrat.",
    "omraden": "Områdena är importerade.",
}


def _done(url: str, code: str) -> Response:
    return RedirectResponse(f"{url}?{urlencode({'klart': code})}", status_code=303)


def _role_options() -> list[tuple[str, str]]:
    return [(r, ROLE_LABELS[r]) for r in ROLES]


@router.get("")
def admin_home(request: Request, session: SessionDep, _admin: PageAdmin) -> Response:
    """What an administrator manages, and the latest staff changes."""
    return render(request, "staff/admin/index.html", section="admin",
                  events=audit.recent(session, limit=30))


# Users -------------------------------------------------------------------------------------------------------

def _users_page(request: Request, session: SessionDep, *, status_code: int = 200, errors: list[str] | None = None,
                new_username: str = "", new_role: str = "analyst", flash: str | None = None) -> Response:
    return render(request, "staff/admin/users.html", status_code=status_code, section="admin",
                  users=users.list_users(session=session), role_options=_role_options(), errors=errors or [],
                  new_username=new_username, new_role=new_role, flash=flash)


@router.get("/anvandare")
def users_page(request: Request, session: SessionDep, _admin: PageAdmin,
               klart: Annotated[str | None, Query(max_length=32)] = None) -> Response:
    """Staff accounts with their roles; create, change role, deactivate."""
    return _users_page(request, session, flash=FLASH.get(klart or ""))


@router.post("/anvandare", dependencies=[CsrfChecked])
def create_user(request: Request, session: SessionDep, admin: PageAdmin,
                username: Annotated[str, Form(max_length=64)], role: Annotated[str, Form(max_length=16)],
                password: Annotated[str, Form(max_length=1024)]) -> Response:
    """Create a staff account."""
    try:
        users.create_user(session=session, username=username, password=password, role=role, staff=admin)
    except ValueError as error:
        session.rollback()
        return _users_page(request, session, status_code=422, errors=[str(error)], new_username=username,
                           new_role=role)
    return _done(f"{BASE}/anvandare", "anvandare")


@router.post("/anvandare/{user_id}", dependencies=[CsrfChecked])
def update_user(request: Request, session: SessionDep, admin: PageAdmin, user_id: int,
                role: Annotated[str, Form(max_length=16)], active: Annotated[str, Form(max_length=3)] = "") -> Response:
    """Change a user's role, or deactivate/reactivate the account."""
    try:
        users.update_user(session=session, user_id=user_id, staff=admin, role=role, is_active=active == "ja")
    except (ValueError, LookupError) as error:
        session.rollback()
        return _users_page(request, session, status_code=422, errors=[str(error)])
    return _done(f"{BASE}/anvandare", "anvandare-andrad")


# Themes ------------------------------------------------------------------------------------------------------

def _themes_page(request: Request, session: SessionDep, *, status_code: int = 200, errors: list[str] | None = None,
                 new: dict[str, str] | None = None, flash: str | None = None) -> Response:
    return render(request, "staff/admin/themes.html", status_code=status_code, section="admin",
                  themes=themes.list_themes(session=session), errors=errors or [],
                  new=new or {"code": "", "label": "", "description": ""}, flash=flash)


@router.get("/teman")
def themes_page(request: Request, session: SessionDep, _admin: PageAdmin,
                klart: Annotated[str | None, Query(max_length=32)] = None) -> Response:
    """The lägesbild's themes: add, rename, retire, reactivate (never delete)."""
    return _themes_page(request, session, flash=FLASH.get(klart or ""))


@router.post("/teman", dependencies=[CsrfChecked])
def create_theme(request: Request, session: SessionDep, admin: PageAdmin,
                 code: Annotated[str, Form(max_length=64)], label: Annotated[str, Form(max_length=120)],
                 description: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Add a theme."""
    try:
        themes.create_theme(session=session, code=code.strip(), label=label, description=description, staff=admin)
    except ValueError as error:
        session.rollback()
        return _themes_page(request, session, status_code=422, errors=[str(error)],
                            new={"code": code, "label": label, "description": description})
    return _done(f"{BASE}/teman", "tema")


@router.post("/teman/{code}", dependencies=[CsrfChecked])
def update_theme(request: Request, session: SessionDep, admin: PageAdmin, code: str,
                 label: Annotated[str, Form(max_length=120)],
                 active: Annotated[str, Form(max_length=3)] = "") -> Response:
    """Rename a theme, or retire/reactivate it."""
    try:
        themes.update_theme(session=session, code=code, staff=admin, label=label, active=active == "ja")
    except (ValueError, LookupError) as error:
        session.rollback()
        return _themes_page(request, session, status_code=422, errors=[str(error)])
    return _done(f"{BASE}/teman", "tema-andrat")


# Areas -------------------------------------------------------------------------------------------------------

def _areas_page(request: Request, session: SessionDep, *, status_code: int = 200, errors: list[str] | None = None,
                flash: str | None = None) -> Response:
    return render(request, "staff/admin/areas.html", status_code=status_code, section="admin",
                  areas=areas.list_areas(session=session, include_retired=True), errors=errors or [], flash=flash)


@router.get("/omraden")
def areas_page(request: Request, session: SessionDep, _admin: PageAdmin,
               klart: Annotated[str | None, Query(max_length=32)] = None) -> Response:
    """The municipality's districts and places, and the import of a new areas file."""
    return _areas_page(request, session, flash=FLASH.get(klart or ""))


@router.post("/omraden", dependencies=[CsrfChecked])
async def import_areas(request: Request, session: SessionDep, admin: PageAdmin, file: UploadFile) -> Response:
    """Import an areas file (JSON, the format of api/seed_data/exempelstad_areas.json)."""
    raw = await file.read(MAX_AREAS_FILE_BYTES + 1)
    try:
        if len(raw) > MAX_AREAS_FILE_BYTES:
            raise ValueError("Filen är för stor (högst 5 MB).")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"Filen är inte giltig JSON i UTF-8: {error}") from error
        areas.import_areas(session=session, data=data, staff=admin)
    except ValueError as error:
        session.rollback()
        return _areas_page(request, session, status_code=422, errors=[str(error)])
    return _done(f"{BASE}/omraden", "omraden")

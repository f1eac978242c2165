"""Medborgarlöften pages: list, write and edit (with activities), publish, follow up. The rules and queries are
the staff service's (`api/staff/promises.py`); this module reads the forms and renders the pages.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from api.crud import list_themes
from api.deps import SessionDep
from api.models import ACTIVITY_STATUSES, PROMISE_PARTIES, PROMISE_STATUSES, Promise
from api.staff import audit, labels, promises
from api.staff.areas import area_names
from api.staff.permissions import has_permission
from api.staff.review import get_concern
from api.web.deps import CsrfChecked, PageNotFound, PagePromiseWriter, PageStaff
from api.web.options import district_options
from api.web.templating import render

router = APIRouter(prefix="/staff/loften", include_in_schema=False)
BASE = "/staff/loften"
EMPTY_ACTIVITY_ROWS = 3
FLASH = {
    "skapat": "Löftet är sparat som utkast.",
    "sparat": "Ändringarna är sparade.",
    "publicerad": "Löftet är publicerat och syns nu för invånarna på /lofte.",
    "utkast": "Löftet är avpublicerat och är ett utkast igen.",
    "avslutad": "Löftet är avslutat.",
    "aktivitet": "Aktivitetens status är sparad.",
}
# The buttons a promise's page offers in each status: (new status, button text, confirmation question).
STATUS_ACTIONS = {
    "utkast": [("publicerad", "Publicera", "Publicera löftet? Det syns då för alla invånare på /lofte.")],
    "publicerad": [("avslutad", "Avsluta löftet", "Avsluta löftet? Det syns inte längre för invånarna."),
                   ("utkast", "Avpublicera", "Avpublicera löftet? Det syns inte längre för invånarna.")],
    "avslutad": [("publicerad", "Publicera igen", "Publicera löftet igen?")],
}


@dataclass
class PromiseForm:
    """The form's values as typed (strings), so a refused form comes back exactly as it was sent."""

    title: str = ""
    text: str = ""
    responsible: str = "kommun"
    responsible_name: str = ""
    period_start: str = ""
    period_end: str = ""
    areas: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    concerns: str = ""
    activities: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_promise(cls, promise: Promise) -> "PromiseForm":
        return cls(
            title=promise.title, text=promise.text, responsible=promise.responsible,
            responsible_name=promise.responsible_name or "", period_start=promise.period_start.isoformat(),
            period_end=promise.period_end.isoformat() if promise.period_end else "",
            areas=promise.area_codes, themes=promise.theme_codes,
            concerns="\n".join(str(i) for i in promise.concern_ids),
            activities=[{"title": a.title, "status": a.status, "due": a.due.isoformat() if a.due else ""}
                        for a in promise.activities],
        )

    @classmethod
    def from_form(cls, form: FormData) -> "PromiseForm":
        titles, statuses, dues = (form.getlist(f"activity_{name}") for name in ("title", "status", "due"))
        activities = [
            {"title": str(t).strip(), "status": str(s), "due": str(d)}
            for t, s, d in zip(titles, statuses, dues, strict=False) if str(t).strip()
        ]
        return cls(
            title=str(form.get("title", "")), text=str(form.get("text", "")),
            responsible=str(form.get("responsible", "")), responsible_name=str(form.get("responsible_name", "")),
            period_start=str(form.get("period_start", "")), period_end=str(form.get("period_end", "")),
            areas=[str(v) for v in form.getlist("areas")], themes=[str(v) for v in form.getlist("themes")],
            concerns=str(form.get("concerns", "")), activities=activities,
        )

    def to_data(self) -> promises.PromiseData:
        """The service's input; ValueError with a Swedish message for what a person typed wrong."""
        start = _date(self.period_start, "Startdatum", required=True)
        assert start is not None
        try:
            concern_ids = [uuid.UUID(part) for part in self.concerns.replace(",", " ").split()]
        except ValueError as error:
            raise ValueError("Kopplade ärenden ska vara ärende-id:n, ett per rad.") from error
        return promises.PromiseData(
            title=self.title, text=self.text, responsible=self.responsible, period_start=start,
            period_end=_date(self.period_end, "Slutdatum"), responsible_name=self.responsible_name or None,
            area_codes=self.areas, theme_codes=self.themes, concern_ids=concern_ids,
            activities=[promises.ActivityData(title=a["title"], status=a["status"],
                                              due=_date(a["due"], f"Datum för ”{a['title']}”"))
                        for a in self.activities],
        )


def _date(value: str, label: str, *, required: bool = False) -> date | None:
    if not value.strip():
        if required:
            raise ValueError(f"{label} saknas.")
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise ValueError(f"{label} är inte ett datum (ÅÅÅÅ-MM-DD).") from error


def _redirect(url: str, flash: str) -> Response:
    return RedirectResponse(f"{url}?{urlencode({'klart': flash})}", status_code=303)


def _get(session: SessionDep, promise_id: int) -> Promise:
    try:
        return promises.get_promise(session, promise_id)
    except LookupError as error:
        raise PageNotFound(str(error)) from error


def _form_options(session: SessionDep) -> dict[str, Any]:
    return {
        "area_options": district_options(session),
        "theme_options": [(t.code, t.label) for t in list_themes(session=session) if t.active],
        "party_options": [(p, labels.PROMISE_PARTY[p]) for p in PROMISE_PARTIES],
        "activity_status_options": [(s, labels.ACTIVITY_STATUS[s]) for s in ACTIVITY_STATUSES],
        "empty_activity_rows": EMPTY_ACTIVITY_ROWS,
    }


@router.get("")
def promise_list(request: Request, session: SessionDep, staff: PageStaff,
                 status: Annotated[str, Query(max_length=16)] = "") -> Response:
    """All promises, newest period first, optionally one status."""
    rows = promises.list_promises(session=session, status=status if status in PROMISE_STATUSES else None)
    return render(request, "staff/promises/index.html", section="loften", promises=rows, status=status,
                  status_options=[(s, labels.PROMISE_STATUS[s]) for s in PROMISE_STATUSES],
                  area_names=area_names(session=session), can_write=has_permission(staff.role, "promises"))


@router.get("/nytt")
def new_promise_form(
    request: Request, session: SessionDep, _staff: PagePromiseWriter,
    arende: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    """An empty promise form; from a concern's page it starts with that concern's area, themes and link."""
    form = PromiseForm(period_start=date.today().isoformat())
    if arende is not None:
        try:
            concern_row = get_concern(session, arende)
        except LookupError as error:
            raise PageNotFound(str(error)) from error
        form.areas = [concern_row.area_code] if concern_row.area_code else []
        form.themes = [a.theme_code for a in concern_row.themes]
        form.concerns = str(concern_row.id)
    return render(request, "staff/promises/edit.html", section="loften", form=form, promise=None,
                  **_form_options(session))


@router.post("/nytt", dependencies=[CsrfChecked])
async def create_promise(request: Request, session: SessionDep, staff: PagePromiseWriter) -> Response:
    """Save a new promise as a draft."""
    form = PromiseForm.from_form(await request.form())
    try:
        promise = promises.create_promise(session=session, data=form.to_data(), staff=staff)
    except (ValueError, LookupError) as error:
        session.rollback()
        return render(request, "staff/promises/edit.html", status_code=422, section="loften", form=form,
                      promise=None, errors=[str(error)], **_form_options(session))
    return _redirect(f"{BASE}/{promise.id}", "skapat")


@router.get("/{promise_id}")
def promise_page(promise_id: int, request: Request, session: SessionDep, staff: PageStaff,
                 klart: Annotated[str | None, Query(max_length=32)] = None) -> Response:
    """One promise: text, areas, themes, linked concerns, activities, publishing, history."""
    promise = _get(session, promise_id)
    theme_labels = {t.code: t.label for t in list_themes(session=session)}
    return render(
        request, "staff/promises/detail.html", section="loften", promise=promise,
        area_names=area_names(session=session), theme_labels=theme_labels,
        can_write=has_permission(staff.role, "promises"),
        status_actions=STATUS_ACTIONS.get(promise.status, []),
        activity_status_options=[(s, labels.ACTIVITY_STATUS[s]) for s in ACTIVITY_STATUSES],
        events=audit.timeline(session, object_type="promise", object_id=promise.id),
        flash=FLASH.get(klart or ""),
    )


@router.get("/{promise_id}/redigera")
def edit_promise_form(promise_id: int, request: Request, session: SessionDep,
                      _staff: PagePromiseWriter) -> Response:
    """The promise's form, filled in."""
    promise = _get(session, promise_id)
    return render(request, "staff/promises/edit.html", section="loften", form=PromiseForm.from_promise(promise),
                  promise=promise, **_form_options(session))


@router.post("/{promise_id}/redigera", dependencies=[CsrfChecked])
async def update_promise(promise_id: int, request: Request, session: SessionDep,
                         staff: PagePromiseWriter) -> Response:
    """Save the edited promise (a published one stays published)."""
    promise = _get(session, promise_id)
    form = PromiseForm.from_form(await request.form())
    try:
        promises.update_promise(session=session, promise_id=promise_id, data=form.to_data(), staff=staff)
    except (ValueError, LookupError) as error:
        session.rollback()
        return render(request, "staff/promises/edit.html", status_code=422, section="loften", form=form,
                      promise=promise, errors=[str(error)], **_form_options(session))
    return _redirect(f"{BASE}/{promise_id}", "sparat")


def _refused(request: Request, promise_id: int, error: Exception) -> Response:
    return render(request, "staff/error.html", status_code=422, heading="Ändringen gjordes inte",
                  message=str(error), back_url=f"{BASE}/{promise_id}")


@router.post("/{promise_id}/status", dependencies=[CsrfChecked])
def change_status(promise_id: int, request: Request, session: SessionDep, staff: PagePromiseWriter,
                  status: Annotated[str, Form(max_length=16)]) -> Response:
    """Publish, unpublish, close or reopen."""
    _get(session, promise_id)
    try:
        promises.set_promise_status(session=session, promise_id=promise_id, status=status, staff=staff)
    except ValueError as error:
        session.rollback()
        return _refused(request, promise_id, error)
    return _redirect(f"{BASE}/{promise_id}", status)


@router.post("/{promise_id}/aktiviteter/{activity_id}", dependencies=[CsrfChecked])
def change_activity(promise_id: int, activity_id: int, request: Request, session: SessionDep,
                    staff: PagePromiseWriter, status: Annotated[str, Form(max_length=16)]) -> Response:
    """Move one activity along (planerad, pågår, klar, inställd)."""
    _get(session, promise_id)
    try:
        promises.set_activity_status(session=session, promise_id=promise_id, activity_id=activity_id,
                                     status=status, staff=staff)
    except LookupError as error:
        raise PageNotFound(str(error)) from error
    except ValueError as error:
        session.rollback()
        return _refused(request, promise_id, error)
    return _redirect(f"{BASE}/{promise_id}", "aktivitet")


@router.get("/{promise_id}/uppfoljning")
def follow_up_page(promise_id: int, request: Request, session: SessionDep, _staff: PageStaff) -> Response:
    """Concerns on the promise's themes in its areas since it started, against as long a period before."""
    promise = _get(session, promise_id)
    result = promises.follow_up(session=session, promise_id=promise_id)
    chart = {
        "labels": [f"{m['month']}" for m in result.months],
        "before": [m["count"] if m["side"] == "before" else None for m in result.months],
        "after": [m["count"] if m["side"] == "after" else None for m in result.months],
    }
    return render(request, "staff/promises/followup.html", section="loften", promise=promise, result=result,
                  chart=chart, area_names=area_names(session=session))

"""Concern review pages: the filtered list with bulk actions, and one concern with its themes, status, notes and
timeline. The queries and changes are the staff service's (`api/staff/review.py`); this module only reads forms
and renders pages. Residents' words are rendered as text (autoescaped), never as HTML.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from api.crud import list_themes
from api.deps import SessionDep
from api.models import CONCERN_STATUSES
from api.schemas import Channel
from api.staff import review
from api.staff.areas import area_names
from api.staff.permissions import has_permission
from api.web.deps import CsrfChecked, PageNotFound, PageReviewer, PageStaff
from api.web.options import channel_options, district_options, theme_labels
from api.web.templating import CHANNEL_LABELS, STATUS_LABELS, render

router = APIRouter(prefix="/staff/arenden", include_in_schema=False)
PAGE_SIZE = 50
SORT_OPTIONS = [("newest", "Nyast först"), ("oldest", "Äldst först")]
LIST_URL = "/staff/arenden"


@dataclass
class ListForm:
    """The list's query string as staff wrote it (kept for the form, the links and the export)."""

    q: str = ""
    theme: str = ""
    area: str = ""
    status: str = ""
    channel: str = ""
    date_from: str = ""
    date_to: str = ""
    sort: str = "newest"
    cursor: str = ""

    def query(self, **changes: str) -> str:
        values = {"q": self.q, "theme": self.theme, "area": self.area, "status": self.status,
                  "channel": self.channel, "from": self.date_from, "to": self.date_to, "sort": self.sort,
                  "cursor": self.cursor} | changes
        return urlencode({k: v for k, v in values.items() if v and not (k == "sort" and v == "newest")})


def list_form(
    q: Annotated[str, Query(max_length=200)] = "",
    theme: Annotated[str, Query(max_length=64)] = "",
    area: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    channel: Annotated[str, Query(max_length=32)] = "",
    date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    sort: Annotated[str, Query(max_length=8)] = "newest",
    cursor: Annotated[str, Query(max_length=200)] = "",
) -> ListForm:
    return ListForm(q=q.strip(), theme=theme, area=area, status=status, channel=channel,
                    date_from=date_from, date_to=date_to, sort=sort if sort in ("newest", "oldest") else "newest",
                    cursor=cursor)


def _parse_date(value: str, label: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label} är inte ett datum (ÅÅÅÅ-MM-DD).")
        return None


def to_filter(form: ListForm, errors: list[str]) -> review.ConcernFilter:
    """The service's filter from the form; problems go to `errors` and leave that field unfiltered."""
    date_from = _parse_date(form.date_from, "Från och med", errors)
    date_to = _parse_date(form.date_to, "Till och med", errors)
    if date_from and date_to and date_from > date_to:
        errors.append("Från-datumet ligger efter till-datumet.")
        date_from = date_to = None
    return review.ConcernFilter(
        themes=[form.theme] if form.theme else [],
        areas=[form.area] if form.area else [],
        statuses=[form.status] if form.status in CONCERN_STATUSES else [],
        channels=[form.channel] if form.channel else [],
        date_from=date_from,
        date_to=date_to,
        q=form.q or None,
    )


def _options(session: SessionDep) -> dict[str, Any]:
    themes = list_themes(session=session)
    return {
        "theme_labels": theme_labels(themes),
        "area_names": area_names(session=session),
        "theme_options": [(t.code, t.label + ("" if t.active else " (utgått)")) for t in themes],
        "active_theme_options": [(t.code, t.label) for t in themes if t.active],
        "area_options": district_options(session),
        "status_options": [(s, STATUS_LABELS[s]) for s in CONCERN_STATUSES],
        "channel_options": channel_options(CHANNEL_LABELS, Channel),
        "sort_options": SORT_OPTIONS,
    }


@router.get("")
def concern_list(
    request: Request, session: SessionDep, staff: PageStaff, form: Annotated[ListForm, Depends(list_form)],
    klart: Annotated[str | None, Query(max_length=32)] = None, antal: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    """The concerns matching the filters, newest (or oldest) first, 50 a page."""
    errors: list[str] = []
    filters = to_filter(form, errors)
    try:
        page = review.list_concerns(session=session, filters=filters, sort=form.sort,  # type: ignore[arg-type]
                                    limit=PAGE_SIZE, cursor=form.cursor or None)
    except ValueError as error:  # a stale or edited cursor: start again from the first page
        errors.append(str(error))
        form.cursor = ""
        page = review.list_concerns(session=session, filters=filters, sort=form.sort,  # type: ignore[arg-type]
                                    limit=PAGE_SIZE)
    return render(
        request,
        "staff/concerns/index.html",
        section="arenden",
        filters=form,
        errors=errors,
        page=page,
        can_edit=_can_review(staff.role),
        back=f"{LIST_URL}?{form.query()}" if form.query() else LIST_URL,
        export_query=form.query(cursor=""),
        next_query=form.query(cursor=page.next_cursor) if page.next_cursor else None,
        first_query=form.query(cursor="") if form.cursor else None,
        flash=flash_text(klart, antal),
        **_options(session),
    )


def _can_review(role: str) -> bool:
    return has_permission(role, "review")


def _local_back(back: str | None) -> str:
    return back if back and back.startswith(LIST_URL) and "//" not in back else LIST_URL


@router.post("/massandring", dependencies=[CsrfChecked])
def bulk_change(
    request: Request,
    session: SessionDep,
    staff: PageReviewer,
    ids: Annotated[list[uuid.UUID] | None, Form()] = None,
    status: Annotated[str, Form(max_length=16)] = "",
    add_theme: Annotated[str, Form(max_length=64)] = "",
    back: Annotated[str | None, Form()] = None,
) -> Response:
    """Set the status of, and/or add a theme to, the ticked concerns."""
    target = _local_back(back)
    changed = 0
    try:
        if not ids:
            raise ValueError("Markera minst ett ärende.")
        if not status and not add_theme:
            raise ValueError("Välj en ny status eller ett tema att lägga till.")
        if status:
            changed = review.bulk_set_status(session=session, concern_ids=ids, status=status, staff=staff)
        if add_theme:
            changed = max(changed, review.bulk_add_theme(session=session, concern_ids=ids, code=add_theme,
                                                         staff=staff))
    except (ValueError, LookupError) as error:
        session.rollback()
        return render(request, "staff/error.html", status_code=422, heading="Ändringen gjordes inte",
                      message=str(error), back_url=target)
    return _redirect_with_flash(target, "massandring", changed)


# What the page says after a change. The redirect names a code, never the text, so no link can put words there.
FLASH = {
    "teman": "Teman sparade.",
    "status": "Status sparad.",
    "anteckning": "Anteckningen sparad.",
    "massandring": "Ändrat på {count} ärenden.",
}


def flash_text(code: str | None, count: int | None) -> str | None:
    text = FLASH.get(code or "")
    return text.format(count=count or 0) if text else None


def _redirect_with_flash(url: str, code: str, count: int | None = None) -> Response:
    separator = "&" if "?" in url else "?"
    params = {"klart": code} | ({"antal": str(count)} if count is not None else {})
    return RedirectResponse(f"{url}{separator}{urlencode(params)}", status_code=303)


def _detail_or_404(session: SessionDep, concern_id: uuid.UUID) -> review.ConcernDetail:
    try:
        return review.concern_detail(session=session, concern_id=concern_id)
    except LookupError as error:
        raise PageNotFound(str(error)) from error


def _timeline(detail: review.ConcernDetail, labels: dict[str, str]) -> list[dict[str, Any]]:
    """The audit events as sentences, oldest first."""
    items = []
    for event in detail.events:
        before, after = event.before or {}, event.after or {}
        text = None
        if event.action == "concern.status":
            old_status, new_status = str(before.get("status")), str(after.get("status"))
            summary = (f"ändrade status från {STATUS_LABELS.get(old_status, old_status)}"
                       f" till {STATUS_LABELS.get(new_status, new_status)}")
        elif event.action == "concern.themes":
            old = ", ".join(labels.get(c, c) for c in before.get("themes") or []) or "inga"
            new = ", ".join(labels.get(c, c) for c in after.get("themes") or []) or "inga"
            summary = f"rättade teman från {old} till {new}"
        elif event.action == "concern.note":
            summary, text = "skrev en intern anteckning", after.get("text")
        else:
            summary = event.action
        items.append({"created_at": event.created_at, "username": event.username, "summary": summary,
                      "text": text})
    return items


@router.get("/{concern_id}")
def concern_page(
    concern_id: uuid.UUID, request: Request, session: SessionDep, staff: PageStaff,
    back: Annotated[str | None, Query()] = None, klart: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    """One concern in full: text, facts, themes with source and score, status, notes and timeline."""
    detail = _detail_or_404(session, concern_id)
    options = _options(session)
    return render(
        request,
        "staff/concerns/detail.html",
        section="arenden",
        detail=detail,
        concern=detail.concern,
        current_themes={a.theme_code for a in detail.concern.themes},
        timeline=_timeline(detail, options["theme_labels"]),
        can_edit=_can_review(staff.role),
        back=_local_back(back),
        flash=flash_text(klart, None),
        **options,
    )


@router.post("/{concern_id}/teman", dependencies=[CsrfChecked])
def correct_themes(
    concern_id: uuid.UUID, request: Request, session: SessionDep, staff: PageReviewer,
    themes: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Save the staff's themes for the concern."""
    return _change(request, session, concern_id, "teman",
                   lambda: review.set_themes(session=session, concern_id=concern_id, codes=themes or [],
                                             staff=staff))


@router.post("/{concern_id}/status", dependencies=[CsrfChecked])
def change_status(
    concern_id: uuid.UUID, request: Request, session: SessionDep, staff: PageReviewer,
    status: Annotated[str, Form(max_length=16)],
) -> Response:
    """Move the concern to another review status."""
    return _change(request, session, concern_id, "status",
                   lambda: review.set_status(session=session, concern_id=concern_id, status=status, staff=staff))


@router.post("/{concern_id}/anteckningar", dependencies=[CsrfChecked])
def add_note(
    concern_id: uuid.UUID, request: Request, session: SessionDep, staff: PageReviewer,
    text: Annotated[str, Form(max_length=4000)],
) -> Response:
    """Add an internal note."""
    return _change(request, session, concern_id, "anteckning",
                   lambda: review.add_note(session=session, concern_id=concern_id, text=text, staff=staff))


def _change(request: Request, session: SessionDep, concern_id: uuid.UUID, done: str, action: Any) -> Response:
    url = f"{LIST_URL}/{concern_id}"
    try:
        action()
    except LookupError as error:
        raise PageNotFound(str(error)) from error
    except ValueError as error:
        session.rollback()
        return render(request, "staff/error.html", status_code=422, heading="Ändringen gjordes inte",
                      message=str(error), back_url=url)
    return _redirect_with_flash(url, done)

"""Lägesbild pages: the dashboard, the printable report and its PDF. The figures are the staff service's
(`api/staff/lagesbild.py`); this module turns them into tables, chart data and map data for the templates.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from api.crud import list_themes
from api.deps import SessionDep
from api.staff import lagesbild, periods
from api.staff.areas import districts_geojson
from api.staff.lagesbild import Figure, Lagesbild
from api.staff.periods import LOCAL_TZ
from api.web import pdf
from api.web.deps import PageStaff
from api.web.options import district_options
from api.web.templating import render, templates

router = APIRouter(prefix="/staff/lagesbild", include_in_schema=False)
MAX_DAYS = 3 * 366
TREND_THEMES = 5


@dataclass
class LagesbildForm:
    date_from: str = ""
    date_to: str = ""
    area: str = ""
    theme: str = ""
    public: bool = False

    def query(self) -> str:
        values = {"from": self.date_from, "to": self.date_to, "area": self.area, "theme": self.theme,
                  "publik": "1" if self.public else ""}
        return urlencode({k: v for k, v in values.items() if v})


def lagesbild_form(
    date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    area: Annotated[str, Query(max_length=64)] = "",
    theme: Annotated[str, Query(max_length=64)] = "",
    publik: Annotated[str, Query(max_length=1)] = "",
) -> LagesbildForm:
    return LagesbildForm(date_from=date_from, date_to=date_to, area=area, theme=theme, public=publik == "1")


def build(session: SessionDep, form: Annotated[LagesbildForm, Depends(lagesbild_form)]) -> tuple[Lagesbild,
                                                                                                    list[str]]:
    """The lägesbild the form asks for; a bad period falls back to the default one, with a message."""
    errors: list[str] = []
    try:
        try:
            start = date.fromisoformat(form.date_from) if form.date_from else None
            end = date.fromisoformat(form.date_to) if form.date_to else None
        except ValueError:
            raise ValueError("Datumen ska skrivas ÅÅÅÅ-MM-DD.") from None
        period = periods.resolve(start, end)
        if period.days > MAX_DAYS:
            raise ValueError("Välj en period på högst tre år.")
    except ValueError as error:
        errors.append(f"{error} Här visas de senaste {periods.DEFAULT_PERIOD_DAYS} dagarna.")
        period = periods.resolve(None, None)
    form.date_from, form.date_to = period.start.isoformat(), period.end.isoformat()
    lb = lagesbild.build_lagesbild(session=session, period=period, area=form.area or None,
                                   themes=[form.theme] if form.theme else [], public=form.public)
    return lb, errors


LagesbildDep = Annotated[tuple[Lagesbild, list[str]], Depends(build)]
FormDep = Annotated[LagesbildForm, Depends(lagesbild_form)]


def _count(value: int | None) -> str:
    return "färre än 5" if value is None else str(value)


def _change_label(figure: Figure) -> str:
    if figure.change_pct is None:
        return "ny" if figure.previous == 0 and figure.count else "–"
    sign = "+" if figure.change_pct > 0 else ("−" if figure.change_pct < 0 else "±")
    return f"{sign}{abs(figure.change_pct):.0f} %".replace(".", ",")


def _safety(avg: float | None, answers: int | None) -> str:
    if avg is None:
        return "–"
    return f"{avg:.1f} av 5 ({_count(answers)} svar)".replace(".", ",", 1)


def view_model(lb: Lagesbild, form: LagesbildForm, session: SessionDep) -> dict[str, Any]:
    """What the templates show: tables as text, and the same figures as chart and map data."""
    themes = [{"code": f.code, "label": f.label, "count": _count(f.count), "previous": _count(f.previous),
               "change": f.change_pct or 0, "change_label": _change_label(f)} for f in lb.themes]
    areas = [{"code": a.code, "name": a.label, "count": _count(a.count),
              "top": [{"label": t.label, "count": _count(t.count)} for t in a.top_themes],
              "felt_safety_label": _safety(a.felt_safety_avg, a.felt_safety_answers)} for a in lb.areas]
    top_codes = [f.code for f in lb.themes[:TREND_THEMES]]
    geo = districts_geojson(session=session)
    counts = {a.code: a.count for a in lb.areas}
    for feature in geo["features"]:
        code = feature["properties"]["code"]
        feature["properties"]["count"] = counts.get(code) or 0
        feature["properties"]["label"] = f"{feature['properties']['name']}: {_count(counts.get(code, 0))} ärenden"
    area_name = dict(district_options(session)).get(lb.area or "", lb.area)
    theme_label = {f.code: f.label for f in lb.themes}
    filter_parts = [p for p in (area_name, ", ".join(theme_label.get(t, t) for t in lb.theme_filter)) if p]
    if lb.public:
        filter_parts.append("publik version: antal under 5 visas som ”färre än 5”, inga citat")
    chart_data = {
        "themes": {"labels": [f.label for f in lb.themes], "current": [f.count or 0 for f in lb.themes],
                   "previous": [f.previous or 0 for f in lb.themes],
                   "current_label": "Perioden", "previous_label": "Förra perioden"},
        "time_of_day": {"labels": [f.label for f in lb.time_of_day], "counts": [f.count or 0 for f in lb.time_of_day]},
        "weekday": {"labels": [f.label for f in lb.weekday], "counts": [f.count or 0 for f in lb.weekday]},
        "trend": {"labels": [m.month for m in lb.months],
                  "series": [{"label": theme_label.get(code, code),
                              "data": [m.themes.get(code) or 0 for m in lb.months]} for code in top_codes]},
        "map": geo,
    }
    return {
        "period_label": f"{lb.period.start} – {lb.period.end} ({lb.period.days} dagar)",
        "previous_label": f"{lb.previous_period.start} – {lb.previous_period.end}",
        "total": _count(lb.total.count),
        "previous_total": _count(lb.total.previous),
        "total_change": _change_label(lb.total),
        "felt_safety_label": _safety(lb.felt_safety.average, lb.felt_safety.answers),
        "filter_label": "; ".join(filter_parts),
        "themes": themes,
        "areas": areas,
        "time_of_day": [(f.label, _count(f.count)) for f in lb.time_of_day],
        "weekday": [(f.label, _count(f.count)) for f in lb.weekday],
        "felt_safety": [(f.label, _count(f.count)) for f in lb.felt_safety.distribution],
        "trend_themes": [theme_label.get(code, code) for code in top_codes],
        "trend": [(m.month, [_count(m.themes.get(code)) if code in m.themes else "0" for code in top_codes])
                  for m in lb.months],
        "quotes": [{"text": q.text, "caption": f"{q.theme_label} · {q.area_name}"} for q in lb.quotes],
        "public": lb.public,
        "map": geo,
        "chart_data": chart_data,
    }


def _page_context(session: SessionDep, lb: Lagesbild, errors: list[str], form: LagesbildForm) -> dict[str, Any]:
    return {
        "section": "lagesbild",
        "view": view_model(lb, form, session),
        "form": form,
        "errors": errors,
        "query": form.query(),
        "area_options": district_options(session),
        "theme_options": [(t.code, t.label) for t in list_themes(session=session)],
        "generated_at": datetime.now(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
        "demo": lb.demo,
    }


@router.get("")
def dashboard(request: Request, session: SessionDep, _staff: PageStaff, built: LagesbildDep,
              form: FormDep) -> Response:
    """The lägesbild for a period, an area and a theme, with charts, map and quotes."""
    lb, errors = built
    return render(request, "staff/lagesbild/index.html", **_page_context(session, lb, errors, form))


@router.get("/rapport")
def report(request: Request, session: SessionDep, _staff: PageStaff, built: LagesbildDep,
           form: FormDep) -> Response:
    """The same lägesbild as a printable report (print stylesheet)."""
    lb, errors = built
    return render(request, "staff/lagesbild/report.html", **_page_context(session, lb, errors, form))


@router.get("/rapport.pdf")
def report_pdf(request: Request, session: SessionDep, _staff: PageStaff, built: LagesbildDep,
               form: FormDep) -> Response:
    """The report as a PDF, printed by headless Chromium from the same page."""
    lb, errors = built
    context = {"request": request, "staff": request.state.staff, "csrf_token": "",
               **_page_context(session, lb, errors, form)}
    html = templates.get_template("staff/lagesbild/report.html").render(context)
    try:
        body = pdf.html_to_pdf(html)
    except pdf.PdfUnavailable as error:
        return render(request, "staff/error.html", status_code=503, heading="PDF:en kunde inte skapas",
                      message=f"{error} Använd den utskriftsvänliga rapporten och skriv ut den som PDF.",
                      back_url=f"/staff/lagesbild/rapport?{form.query()}")
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="lagesbild-{lb.period.end}.pdf"'})

"""Staff JSON API: the lägesbild and its CSV/XLSX export."""

import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from api.deps import Reader, SessionDep
from api.staff import export, lagesbild, periods

router = APIRouter(prefix="/staff/lagesbild", tags=["staff: lägesbild"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def lagesbild_params(
    session: SessionDep,
    date_from: Annotated[date | None, Query(alias="from", description="First day (default: 90 days ago)")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day, included (default: today)")] = None,
    area: Annotated[str | None, Query(max_length=64, description="One district code")] = None,
    theme: Annotated[list[str], Query(description="Only these themes")] = [],  # noqa: B006 - FastAPI query list
    public: Annotated[bool, Query(description="Hide counts under 5 and quotes (figures for publication)")] = False,
) -> lagesbild.Lagesbild:
    try:
        period = periods.resolve(date_from, date_to)
    except ValueError as error:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(error)) from error
    if period.days > 3 * 366:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail="Välj högst tre år.")
    return lagesbild.build_lagesbild(session=session, period=period, area=area, themes=theme, public=public)


LagesbildDep = Annotated[lagesbild.Lagesbild, Depends(lagesbild_params)]


@router.get("")
def read_lagesbild(lb: LagesbildDep, _staff: Reader) -> Response:
    """Counts by theme × area × month, change against the previous period, patterns, felt safety and quotes."""
    # Plain data (str, int, float, None, dates as ISO text): json.dumps directly, not FastAPI's generic encoder,
    # which costs more than the queries on a year's lägesbild.
    body = json.dumps(lb.as_dict(), ensure_ascii=False, default=str, separators=(",", ":"))
    return Response(body, media_type="application/json")


@router.get("/export.csv")
def export_csv(lb: LagesbildDep, _staff: Reader) -> Response:
    """The lägesbild as CSV (UTF-8 with BOM, `;`-separated, decimal comma)."""
    return Response(export.lagesbild_csv(lb), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="lagesbild-{lb.period.end}.csv"'})


@router.get("/export.xlsx")
def export_xlsx(lb: LagesbildDep, _staff: Reader) -> Response:
    """The lägesbild as an Excel workbook, one sheet per part."""
    return Response(export.lagesbild_xlsx(lb), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="lagesbild-{lb.period.end}.xlsx"'})

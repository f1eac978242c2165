"""CSV and XLSX downloads from the staff pages (same filters as the page they are linked from); the files are
written by the staff service (`api/staff/export.py`).
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response, StreamingResponse

from api.deps import SessionDep
from api.staff import export
from api.web.concerns import ListForm, list_form, to_filter
from api.web.deps import PageStaff
from api.web.lagesbild import LagesbildDep

router = APIRouter(prefix="/staff/export", include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/arenden.csv")
def concerns_csv(session: SessionDep, _staff: PageStaff,
                 form: Annotated[ListForm, Depends(list_form)]) -> StreamingResponse:
    """The concerns matching the list's filters, as CSV for Swedish Excel."""
    filters = to_filter(form, [])
    stream = export.concerns_csv_stream(bind=session.get_bind(), filters=filters)
    return StreamingResponse(stream, media_type="text/csv; charset=utf-8", headers=_attachment("arenden.csv"))


@router.get("/arenden.xlsx")
def concerns_xlsx(session: SessionDep, _staff: PageStaff,
                  form: Annotated[ListForm, Depends(list_form)]) -> Response:
    """The concerns matching the list's filters, as an Excel workbook."""
    body = export.concerns_xlsx(session=session, filters=to_filter(form, []))
    return Response(body, media_type=XLSX, headers=_attachment("arenden.xlsx"))


@router.get("/lagesbild.csv")
def lagesbild_csv(_staff: PageStaff, built: LagesbildDep) -> Response:
    """The lägesbild on screen as CSV."""
    lb, _errors = built
    return Response(export.lagesbild_csv(lb), media_type="text/csv; charset=utf-8",
                    headers=_attachment(f"lagesbild-{lb.period.end}.csv"))


@router.get("/lagesbild.xlsx")
def lagesbild_xlsx(_staff: PageStaff, built: LagesbildDep) -> Response:
    """The lägesbild on screen as an Excel workbook."""
    lb, _errors = built
    return Response(export.lagesbild_xlsx(lb), media_type=XLSX,
                    headers=_attachment(f"lagesbild-{lb.period.end}.xlsx"))

"""The public promises page /lofte: what the police and the municipality have promised, by area.

Only published promises and only their public fields (`api/staff/promises.py: public_promises`); residents reach
it from the municipality's site and from the bot's answer to "vad lovar polisen i mitt område?".
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import SessionDep, SettingsDep
from api.staff import promises
from api.staff.promises import PublicPromise
from api.web.options import district_options
from api.web.templating import render

router = APIRouter(include_in_schema=False)


@dataclass
class AreaGroup:
    code: str
    name: str
    promises: list[PublicPromise]


def by_area(items: list[PublicPromise], districts: list[tuple[str, str]]) -> list[AreaGroup]:
    """One group per district with promises, in the order of the district list; a promise for several
    districts is listed under each, so residents find it under their own."""
    groups = [AreaGroup(code, name, [p for p in items if code in {a["code"] for a in p.areas}])
              for code, name in districts]
    return [g for g in groups if g.promises]


@router.get("/lofte")
def promises_page(
    request: Request, session: SessionDep, settings: SettingsDep,
    omrade: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Published medborgarlöften, all by area or for one area (a code or a place name)."""
    districts = district_options(session)
    area = promises.resolve_area(session, omrade, settings.areas_file) if omrade.strip() else None
    items = promises.public_promises(session=session, area=area)
    return render(
        request, "public/lofte.html", settings=settings, section="lofte", districts=districts,
        area=area, unknown_area=bool(omrade.strip()) and area is None, asked=omrade.strip(),
        items=items, groups=[] if area else by_area(items, districts),
    )

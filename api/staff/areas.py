"""Districts and named places: import from a JSON file, read for pages and the map, match a resident's place.

The file format is api/seed_data/exempelstad_areas.json: `districts` (code, name, aliases, optional GeoJSON
`geometry`) and `places` (code, name, district, aliases). `import_areas` upserts by code; an area missing from a
new file is retired (active=false), never deleted, because promises and old concerns keep referring to it.

`area_index` is what the chat flow uses to turn "vid Stortorget" into the district code: built from the active
areas in the database, or from AREAS_FILE while none have been imported yet.
"""

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.areas import AreaIndex, load_area_index
from api.models import Area, StaffUser
from api.staff import audit, messages

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


def _check_geometry(code: str, geometry: Any) -> None:
    if geometry is None:
        return
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise ValueError(f"{code}: geometry måste vara en GeoJSON Polygon eller MultiPolygon")
    if not isinstance(geometry.get("coordinates"), list) or not geometry["coordinates"]:
        raise ValueError(f"{code}: geometry saknar koordinater")


def _parse(data: Any) -> list[dict[str, Any]]:
    """The areas of an areas file as rows; ValueError (in Swedish) on anything malformed."""
    try:
        rows: list[dict[str, Any]] = []
        for district in data["districts"]:
            _check_geometry(district["code"], district.get("geometry"))
            rows.append({"code": district["code"], "name": district["name"], "kind": "district",
                         "parent_code": None, "aliases": list(district.get("aliases", [])),
                         "geometry": district.get("geometry")})
        district_codes = {row["code"] for row in rows}
        for place in data.get("places", []):
            if place["district"] not in district_codes:
                raise ValueError(f"{place['code']}: okänd stadsdel {place['district']!r}")
            rows.append({"code": place["code"], "name": place["name"], "kind": "place",
                         "parent_code": place["district"], "aliases": list(place.get("aliases", [])),
                         "geometry": place.get("geometry")})
    except (KeyError, TypeError) as error:
        raise ValueError(messages.AREAS_FILE_INVALID.format(error=f"fält saknas: {error}")) from error
    codes = [row["code"] for row in rows]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(messages.AREAS_FILE_INVALID.format(error=f"dubbla koder: {', '.join(duplicates)}"))
    for row in rows:
        if not isinstance(row["code"], str) or not row["code"] or not isinstance(row["name"], str):
            raise ValueError(messages.AREAS_FILE_INVALID.format(error=f"kod och namn måste vara text: {row}"))
    return rows


def import_areas(*, session: Session, data: Any, staff: StaffUser | None = None) -> dict[str, int]:
    """Upsert the file's areas, retire those it no longer lists. Returns counts: created, updated, retired."""
    rows = _parse(data)
    existing = {area.code: area for area in session.scalars(select(Area))}
    counts = {"created": 0, "updated": 0, "retired": 0}
    # Districts first, so places can refer to them within the same flush.
    for row in sorted(rows, key=lambda r: r["kind"] != "district"):
        area = existing.get(row["code"])
        if area is None:
            session.add(Area(active=True, **row))
            counts["created"] += 1
            continue
        changed = not area.active or any(getattr(area, key) != value for key, value in row.items())
        for key, value in row.items():
            setattr(area, key, value)
        area.active = True
        counts["updated"] += changed
        session.flush()
    listed = {row["code"] for row in rows}
    for code, area in existing.items():
        if code not in listed and area.active:
            area.active = False
            counts["retired"] += 1
    audit.record(session, staff=staff, action="areas.import", object_type="area", object_id="*",
                 after={**counts, "areas": len(rows)})
    session.commit()
    return counts


def import_areas_file(*, session: Session, path: Path, staff: StaffUser | None = None) -> dict[str, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(messages.AREAS_FILE_INVALID.format(error=error)) from error
    return import_areas(session=session, data=data, staff=staff)


def list_areas(*, session: Session, include_retired: bool = False) -> list[Area]:
    """Districts then places, by name."""
    query = select(Area).order_by(Area.kind, Area.name)
    if not include_retired:
        query = query.where(Area.active)
    return list(session.scalars(query))


def area_names(*, session: Session) -> dict[str, str]:
    """code → name of every area, retired ones too (old concerns keep their codes)."""
    return dict(session.execute(select(Area.code, Area.name)).all())


def districts_geojson(*, session: Session) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the active districts that have a polygon (for the Leaflet map)."""
    features = [
        {"type": "Feature", "id": area.code, "geometry": area.geometry,
         "properties": {"code": area.code, "name": area.name}}
        for area in session.scalars(
            select(Area).where(Area.kind == "district", Area.active, Area.geometry.is_not(None)).order_by(Area.code)
        )
        if area.geometry
    ]
    return {"type": "FeatureCollection", "features": features}


def district_of(*, session: Session, code: str) -> str | None:
    """The district code for an area code (a district is its own district); None if unknown."""
    area = session.get(Area, code)
    if area is None:
        return None
    return area.parent_code or area.code


def area_index(session: Session, fallback_file: str) -> AreaIndex:
    """The place matcher from the active areas in the database, or from `fallback_file` before any import."""
    areas = list(session.scalars(select(Area).where(Area.active)))
    if not areas:
        return load_area_index(fallback_file)
    return AreaIndex.from_names(
        [(name, area.parent_code or area.code) for area in areas for name in [area.name, *(area.aliases or [])]]
    )

"""Staff JSON API, administration: themes, areas, users (admin), the audit trail, and who am I."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status

from api.deps import Admin, Reader, RowId, SessionDep
from api.staff import areas, audit, themes, users
from api.staff.permissions import PERMISSIONS, ROLE_PERMISSIONS
from api.staff.schemas import (
    AreaOut,
    AuditEventOut,
    ImportOut,
    MeOut,
    ThemeAdminOut,
    ThemeCreateIn,
    ThemeUpdateIn,
    UserCreateIn,
    UserOut,
    UserUpdateIn,
)

router = APIRouter(prefix="/staff", tags=["staff: admin"])


def _errors(error: Exception) -> HTTPException:
    if isinstance(error, LookupError):
        return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=str(error.args[0]))
    return HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(error))


@router.get("/me", response_model=MeOut)
def me(staff: Reader) -> MeOut:
    """The logged-in user, role and permissions."""
    return MeOut(username=staff.username, role=staff.role,
                 permissions={p: PERMISSIONS[p] for p in sorted(ROLE_PERMISSIONS[staff.role])})


@router.get("/themes", response_model=list[ThemeAdminOut])
def list_themes(session: SessionDep, _staff: Reader) -> list[ThemeAdminOut]:
    """Every theme, retired ones too."""
    return [ThemeAdminOut.model_validate(t) for t in themes.list_themes(session=session)]


@router.post("/themes", response_model=ThemeAdminOut, status_code=status.HTTP_201_CREATED)
def create_theme(body: ThemeCreateIn, session: SessionDep, staff: Admin) -> ThemeAdminOut:
    """Add a theme (admin)."""
    try:
        theme = themes.create_theme(session=session, code=body.code, label=body.label,
                                    description=body.description, staff=staff)
    except ValueError as error:
        raise _errors(error) from error
    return ThemeAdminOut.model_validate(theme)


@router.patch("/themes/{code}", response_model=ThemeAdminOut)
def update_theme(code: str, body: ThemeUpdateIn, session: SessionDep, staff: Admin) -> ThemeAdminOut:
    """Rename, re-describe, retire (active=false) or reactivate a theme (admin). Themes are never deleted."""
    try:
        theme = themes.update_theme(session=session, code=code, staff=staff, label=body.label,
                                    description=body.description, active=body.active)
    except (LookupError, ValueError) as error:
        raise _errors(error) from error
    return ThemeAdminOut.model_validate(theme)


@router.get("/areas", response_model=list[AreaOut])
def list_areas(
    session: SessionDep, _staff: Reader, include_retired: Annotated[bool, Query()] = False
) -> list[AreaOut]:
    """Districts and places."""
    return [
        AreaOut(code=a.code, name=a.name, kind=a.kind, parent_code=a.parent_code,
                aliases=a.aliases or [], has_geometry=a.geometry is not None, active=a.active)
        for a in areas.list_areas(session=session, include_retired=include_retired)
    ]


@router.get("/areas/geojson")
def areas_geojson(session: SessionDep, _staff: Reader) -> dict[str, Any]:
    """The districts with polygons as a GeoJSON FeatureCollection (for the map)."""
    return areas.districts_geojson(session=session)


@router.post("/areas/import", response_model=ImportOut)
def import_areas(body: dict[str, Any], session: SessionDep, staff: Admin) -> ImportOut:
    """Import an areas file (the format of api/seed_data/exempelstad_areas.json); unlisted areas are retired."""
    try:
        counts = areas.import_areas(session=session, data=body, staff=staff)
    except ValueError as error:
        raise _errors(error) from error
    return ImportOut(**counts)


@router.get("/users", response_model=list[UserOut])
def list_users(session: SessionDep, _staff: Admin) -> list[UserOut]:
    """Staff accounts (admin)."""
    return [UserOut.model_validate(u) for u in users.list_users(session=session)]


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreateIn, session: SessionDep, staff: Admin) -> UserOut:
    """Create a staff account (admin)."""
    try:
        user = users.create_user(session=session, username=body.username, password=body.password, role=body.role,
                                 staff=staff)
    except ValueError as error:
        raise _errors(error) from error
    return UserOut.model_validate(user)


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(user_id: RowId, body: UserUpdateIn, session: SessionDep, staff: Admin) -> UserOut:
    """Change a user's role or deactivate them (admin); the last active admin stays."""
    try:
        user = users.update_user(session=session, user_id=user_id, staff=staff, role=body.role,
                                 is_active=body.is_active)
    except (LookupError, ValueError) as error:
        raise _errors(error) from error
    return UserOut.model_validate(user)


@router.get("/audit", response_model=list[AuditEventOut])
def read_audit(
    session: SessionDep,
    _staff: Admin,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    before_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditEventOut]:
    """The audit trail, newest first (admin); a concern's own timeline is in its detail."""
    events = audit.recent(session, object_type=object_type, before_id=before_id, limit=limit)
    return [AuditEventOut.model_validate(e) for e in events]

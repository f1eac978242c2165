"""Request and response bodies of the staff JSON API (api/routes/staff_*.py) and the public promises API.

Resident text (description, place, suggestion, quotes) is returned as plain JSON strings: data, never HTML.
"""

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ConcernStatus = Literal["ny", "granskad", "hanterad", "avvisad"]
PromiseStatus = Literal["utkast", "publicerad", "avslutad"]
ActivityStatus = Literal["planerad", "pagar", "klar", "installd"]
Party = Literal["polis", "kommun", "annan"]


class ThemeRef(BaseModel):
    code: str
    label: str
    source: str | None = None
    score: float | None = None


class ConcernRow(BaseModel):
    id: uuid.UUID
    created_at: datetime
    channel: str
    status: ConcernStatus
    area_code: str | None
    area_name: str | None
    place: str | None
    description: str
    time_of_day: str | None
    weekday: str | None
    frequency: str | None
    felt_safety: int | None
    suggestion: str | None
    themes: list[ThemeRef] = Field(description="The themes the concern counts under (most trusted source)")
    is_demo: bool
    reviewed_at: datetime | None


class ConcernListOut(BaseModel):
    items: list[ConcernRow]
    total: int
    total_capped: bool = Field(description="True: more than `total` concerns match")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")
    demo: bool = Field(description="Demo data is stored: say so on the page")


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    created_at: datetime
    author: str | None = None


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    username: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class PromiseRef(BaseModel):
    id: int
    title: str
    status: PromiseStatus


class ConcernDetailOut(ConcernRow):
    theme_history: list[ThemeRef] = Field(description="Every theme from every source (model, resident, staff)")
    notes: list[NoteOut]
    timeline: list[AuditEventOut]
    promises: list[PromiseRef]
    reviewed_by: str | None


class ThemesIn(BaseModel):
    themes: list[str] = Field(min_length=1, max_length=14)


class StatusIn(BaseModel):
    status: ConcernStatus


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class BulkIn(BaseModel):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    action: Literal["status", "add_theme"]
    status: ConcernStatus | None = None
    theme: str | None = None


class BulkOut(BaseModel):
    changed: int


class ActivityIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    status: ActivityStatus = "planerad"
    due: date | None = None


class PromiseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=8000)
    responsible: Party
    responsible_name: str | None = Field(default=None, max_length=120)
    period_start: date
    period_end: date | None = None
    areas: list[str] = Field(default_factory=list, max_length=100)
    themes: list[str] = Field(default_factory=list, max_length=20)
    concerns: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    activities: list[ActivityIn] = Field(default_factory=list, max_length=50)


class ActivityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    status: ActivityStatus
    due: date | None


class PromiseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    text: str
    responsible: Party
    responsible_name: str | None
    period_start: date
    period_end: date | None
    status: PromiseStatus
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    area_codes: list[str]
    theme_codes: list[str]
    concern_ids: list[uuid.UUID]
    activities: list[ActivityOut]
    is_demo: bool


class PromiseStatusIn(BaseModel):
    status: PromiseStatus


class ActivityStatusIn(BaseModel):
    status: ActivityStatus


class PublicActivityOut(BaseModel):
    title: str
    status: ActivityStatus
    status_label: str
    due: date | None


class PublicPromiseOut(BaseModel):
    """A published promise as residents see it: no internal fields, no linked concerns."""

    id: int
    title: str
    text: str
    responsible: Party
    responsible_label: str
    responsible_name: str | None
    period_start: date
    period_end: date | None
    areas: list[dict[str, str]]
    themes: list[dict[str, str]]
    activities: list[PublicActivityOut]
    published_at: datetime | None


class PublicPromisesOut(BaseModel):
    area: dict[str, str] | None = Field(description="The area asked about (code, name), if any")
    items: list[PublicPromiseOut]


class ThemeAdminOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    label: str
    description: str
    active: bool


class ThemeCreateIn(BaseModel):
    code: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)


class ThemeUpdateIn(BaseModel):
    label: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    active: bool | None = None


class AreaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: Literal["district", "place"]
    parent_code: str | None
    aliases: list[str]
    has_geometry: bool
    active: bool


class ImportOut(BaseModel):
    created: int
    updated: int
    retired: int


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: Literal["admin", "analyst", "viewer"]
    is_active: bool
    created_at: datetime


class UserCreateIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=12, max_length=256)
    role: Literal["admin", "analyst", "viewer"]


class UserUpdateIn(BaseModel):
    role: Literal["admin", "analyst", "viewer"] | None = None
    is_active: bool | None = None


class MeOut(BaseModel):
    username: str
    role: str
    permissions: dict[str, str] = Field(description="The permissions the role holds, with Swedish labels")


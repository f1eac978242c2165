"""Request and response bodies (Pydantic), kept apart from the tables."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Answer codes shared with the bot (docs/conversation-design.md). "vet_inte" = the resident did not know.
TimeOfDay = Literal["morgon", "dag", "kvall", "natt", "hela_dygnet", "vet_inte"]
Weekday = Literal[
    "mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag",
    "vardagar", "helger", "alla_dagar", "vet_inte",
]
Frequency = Literal["dagligen", "varje_vecka", "varje_manad", "ibland", "en_gang", "vet_inte"]
Channel = Literal["web", "rest", "telegram", "sms", "whatsapp", "test"]


class ChatRequest(BaseModel):
    session_id: str | None = Field(default=None, max_length=128)
    text: str


class ChatButton(BaseModel):
    title: str
    payload: str


class ChatReply(BaseModel):
    text: str
    buttons: list[ChatButton] = []


class ChatResponse(BaseModel):
    session_id: str
    replies: list[ChatReply]
    ended: bool = Field(default=False, description="The conversation has ended: start a new one for anything more")


class ChatEndRequest(BaseModel):
    session_id: str = Field(max_length=128)


class ChatConfig(BaseModel):
    max_chars: int = Field(description="The longest message POST /chat accepts, in characters")


class ConcernCreate(BaseModel):
    """What the action server sends when a resident has consented."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = Field(min_length=8, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")
    conversation_id: str = Field(min_length=1, max_length=256)
    channel: Channel
    description: str = Field(min_length=1, max_length=8000)
    place: str | None = Field(default=None, max_length=500)
    time_of_day: TimeOfDay | None = None
    weekday: Weekday | None = None
    frequency: Frequency | None = None
    felt_safety: int | None = Field(default=None, ge=1, le=5)
    suggestion: str | None = Field(default=None, max_length=4000)
    consent: bool
    # Themes the resident confirmed or chose in the chat (stored with source "resident").
    resident_themes: list[str] | None = Field(default=None, max_length=14)


class ConcernThemePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(validation_alias="theme_code")
    source: str
    score: float | None
    model_version: str | None


class ConcernPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: datetime
    channel: str
    description: str
    place: str | None
    area_code: str | None
    time_of_day: str | None
    weekday: str | None
    frequency: str | None
    felt_safety: int | None
    suggestion: str | None
    consent: bool
    themes: list[ConcernThemePublic] = Field(description="The concern's themes from the most trusted source present")


class ConcernList(BaseModel):
    items: list[ConcernPublic]
    total: int


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]


class ThemePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    label: str
    description: str
    active: bool


class StaffThemesUpdate(BaseModel):
    themes: list[str] = Field(min_length=1, max_length=14)


class ClassifyRequest(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    evidence: bool = Field(default=True, description="Also find the words behind each theme (false: themes only)")


class ClassifyResponse(BaseModel):
    text: str
    themes: list[str]
    scores: dict[str, float]
    model_version: str
    labels: dict[str, str] = Field(description="Swedish label of each chosen theme, for saying it back")
    evidence: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Words of the text that raised each chosen theme's score most, strongest first",
    )

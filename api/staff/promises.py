"""Medborgarlöften: write, publish and follow up what the police and the municipality promise residents.

Lifecycle: utkast → publicerad → avslutad (a published promise can go back to utkast to be corrected, a closed
one be reopened). Only published promises are shown to residents (`public_promises`, the bot and /lofte), and
only their public fields. Each promise names the areas and themes it is about and may link the concerns that
motivated it; its activities carry their own status (planerad, pågår, klar, inställd).

`follow_up` compares the concerns on the promise's themes in its areas after it started with a period of the
same length before it: counts, change, per theme and per month, and average felt safety.

    promise = create_promise(session=s, data=PromiseData(title=..., ...), staff=user)
    set_promise_status(session=s, promise_id=promise.id, status="publicerad", staff=user)
    follow_up(session=s, promise_id=promise.id)
    public_promises(session=s, area="Norrby")   # code or a resident's words for a place
"""

import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from api.crud import check_theme_codes
from api.models import (
    ACTIVITY_STATUSES,
    PROMISE_PARTIES,
    PROMISE_STATUSES,
    Area,
    Concern,
    EffectiveTheme,
    Promise,
    PromiseActivity,
    PromiseArea,
    PromiseConcern,
    PromiseTheme,
    StaffUser,
    Theme,
)
from api.staff import audit, labels, messages
from api.staff.areas import area_index
from api.staff.periods import Period, today_local

TRANSITIONS = {
    "utkast": {"publicerad"},
    "publicerad": {"utkast", "avslutad"},
    "avslutad": {"publicerad"},
}


@dataclass
class ActivityData:
    title: str
    status: str = "planerad"
    due: date | None = None


@dataclass
class PromiseData:
    """What staff write; `validate` checks it against the database."""

    title: str
    text: str
    responsible: str
    period_start: date
    period_end: date | None = None
    responsible_name: str | None = None
    area_codes: list[str] = field(default_factory=list)
    theme_codes: list[str] = field(default_factory=list)
    concern_ids: list[uuid.UUID] = field(default_factory=list)
    activities: list[ActivityData] = field(default_factory=list)


def _validate(session: Session, data: PromiseData) -> PromiseData:
    data.title, data.text = data.title.strip(), data.text.strip()
    if not data.title or not data.text:
        raise ValueError("Löftet behöver en titel och en text.")
    if data.responsible not in PROMISE_PARTIES:
        raise ValueError(f"Ansvarig måste vara en av: {', '.join(PROMISE_PARTIES)}.")
    if data.period_end and data.period_end < data.period_start:
        raise ValueError(messages.PROMISE_PERIOD_INVALID)
    data.area_codes = list(dict.fromkeys(data.area_codes))
    known = set(session.scalars(select(Area.code).where(Area.code.in_(data.area_codes)))) if data.area_codes else set()
    unknown = [code for code in data.area_codes if code not in known]
    if unknown:
        raise ValueError(messages.UNKNOWN_AREAS.format(codes=", ".join(unknown)))
    data.theme_codes = check_theme_codes(session, data.theme_codes)
    data.concern_ids = list(dict.fromkeys(data.concern_ids))
    if data.concern_ids:
        found = set(session.scalars(select(Concern.id).where(Concern.id.in_(data.concern_ids))))
        missing = [str(i) for i in data.concern_ids if i not in found]
        if missing:
            raise ValueError(messages.UNKNOWN_CONCERNS.format(ids=", ".join(missing)))
    for activity in data.activities:
        activity.title = activity.title.strip()
        if not activity.title:
            raise ValueError("En aktivitet saknar beskrivning.")
        if activity.status not in ACTIVITY_STATUSES:
            raise ValueError(messages.UNKNOWN_STATUS.format(status=activity.status))
    return data


def snapshot(promise: Promise) -> dict[str, Any]:
    """The promise's editable fields, for the audit trail."""
    return {
        "title": promise.title, "text": promise.text, "responsible": promise.responsible,
        "responsible_name": promise.responsible_name, "period_start": promise.period_start,
        "period_end": promise.period_end, "status": promise.status, "areas": promise.area_codes,
        "themes": promise.theme_codes, "concerns": sorted(str(i) for i in promise.concern_ids),
        "activities": [{"title": a.title, "status": a.status, "due": a.due} for a in promise.activities],
    }


def _apply(promise: Promise, data: PromiseData) -> None:
    promise.title = data.title
    promise.text = data.text
    promise.responsible = data.responsible
    promise.responsible_name = (data.responsible_name or "").strip() or None
    promise.period_start = data.period_start
    promise.period_end = data.period_end
    promise.area_links = [PromiseArea(area_code=code) for code in data.area_codes]
    promise.theme_links = [PromiseTheme(theme_code=code) for code in data.theme_codes]
    promise.concern_links = [PromiseConcern(concern_id=cid) for cid in data.concern_ids]
    promise.activities = [
        PromiseActivity(position=i, title=a.title, status=a.status, due=a.due) for i, a in enumerate(data.activities)
    ]


def get_promise(session: Session, promise_id: int) -> Promise:
    promise = session.get(Promise, promise_id)
    if promise is None:
        raise LookupError(messages.PROMISE_NOT_FOUND)
    return promise


def create_promise(
    *, session: Session, data: PromiseData, staff: StaffUser | None, is_demo: bool = False
) -> Promise:
    """A new promise, as a draft (utkast). `staff` None: made by the system (the demo seeder)."""
    data = _validate(session, data)
    promise = Promise(status="utkast", created_by_id=staff.id if staff else None, is_demo=is_demo)
    _apply(promise, data)
    session.add(promise)
    session.flush()
    audit.record(session, staff=staff, action="promise.create", object_type="promise", object_id=promise.id,
                 after=snapshot(promise))
    session.commit()
    return promise


def update_promise(*, session: Session, promise_id: int, data: PromiseData, staff: StaffUser) -> Promise:
    """Replace the promise's fields, areas, themes, linked concerns and activities."""
    promise = get_promise(session, promise_id)
    data = _validate(session, data)
    before = snapshot(promise)
    session.flush()
    # Replace the link rows in two steps: deleting and re-adding the same key in one flush would collide.
    promise.area_links, promise.theme_links, promise.concern_links = [], [], []
    session.flush()
    _apply(promise, data)
    if promise.status == "publicerad" and not _publishable(promise):
        raise ValueError(messages.PROMISE_NOT_PUBLISHABLE)
    session.flush()
    after = snapshot(promise)
    if after != before:
        audit.record(session, staff=staff, action="promise.update", object_type="promise", object_id=promise.id,
                     before={k: v for k, v in before.items() if after[k] != v},
                     after={k: v for k, v in after.items() if before[k] != v})
    session.commit()
    return promise


def _publishable(promise: Promise) -> bool:
    return bool(promise.title and promise.text and promise.area_links)


def set_promise_status(*, session: Session, promise_id: int, status: str, staff: StaffUser | None) -> Promise:
    """Publish, unpublish (back to utkast), close or reopen a promise."""
    if status not in PROMISE_STATUSES:
        raise ValueError(messages.UNKNOWN_STATUS.format(status=status))
    promise = get_promise(session, promise_id)
    if status == promise.status:
        return promise
    if status not in TRANSITIONS[promise.status]:
        raise ValueError(messages.PROMISE_TRANSITION.format(old=promise.status, new=status))
    if status == "publicerad" and not _publishable(promise):
        raise ValueError(messages.PROMISE_NOT_PUBLISHABLE)
    audit.record(session, staff=staff, action="promise.status", object_type="promise", object_id=promise.id,
                 before={"status": promise.status}, after={"status": status})
    promise.status = status
    if status == "publicerad" and promise.published_at is None:
        promise.published_at = datetime.now(UTC)
    session.commit()
    return promise


def set_activity_status(
    *, session: Session, promise_id: int, activity_id: int, status: str, staff: StaffUser
) -> PromiseActivity:
    """Move one activity of a promise along (planerad, pagar, klar, installd)."""
    if status not in ACTIVITY_STATUSES:
        raise ValueError(messages.UNKNOWN_STATUS.format(status=status))
    promise = get_promise(session, promise_id)
    activity = next((a for a in promise.activities if a.id == activity_id), None)
    if activity is None:
        raise LookupError(messages.ACTIVITY_NOT_FOUND)
    if activity.status != status:
        audit.record(session, staff=staff, action="promise.activity", object_type="promise", object_id=promise.id,
                     before={"activity": activity.title, "status": activity.status},
                     after={"activity": activity.title, "status": status})
        activity.status = status
        session.commit()
    return activity


def list_promises(*, session: Session, status: str | None = None, area: str | None = None) -> list[Promise]:
    """Promises, newest first; optionally one status and/or one area."""
    query = select(Promise).order_by(Promise.period_start.desc(), Promise.id.desc())
    if status:
        query = query.where(Promise.status == status)
    if area:
        query = query.where(Promise.id.in_(select(PromiseArea.promise_id).where(PromiseArea.area_code == area)))
    return list(session.scalars(query))


# What residents see ------------------------------------------------------------------------------------------


@dataclass
class PublicActivity:
    title: str
    status: str
    status_label: str
    due: date | None


@dataclass
class PublicPromise:
    id: int
    title: str
    text: str
    responsible: str
    responsible_label: str
    responsible_name: str | None
    period_start: date
    period_end: date | None
    status: str
    areas: list[dict[str, str]]
    themes: list[dict[str, str]]
    activities: list[PublicActivity]
    published_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve_area(session: Session, text: str, fallback_file: str) -> Area | None:
    """An area from its code or from a resident's words for it ("vid Stortorget" → the Centrum district)."""
    area = session.get(Area, text.strip())
    if area is not None:
        return area
    code = area_index(session, fallback_file).match(text)
    return session.get(Area, code) if code else None


def public_promises(*, session: Session, area: Area | None = None) -> list[PublicPromise]:
    """Published promises (all, or those for the area or the district it lies in), public fields only."""
    query = select(Promise).where(Promise.status == "publicerad").order_by(Promise.period_start.desc(), Promise.id)
    if area is not None:
        codes = {area.code, area.parent_code} - {None}
        query = query.where(Promise.id.in_(select(PromiseArea.promise_id).where(PromiseArea.area_code.in_(codes))))
    promises = list(session.scalars(query))
    area_names = dict(session.execute(select(Area.code, Area.name)).all())
    theme_labels = dict(session.execute(select(Theme.code, Theme.label)).all())
    return [
        PublicPromise(
            id=p.id, title=p.title, text=p.text, responsible=p.responsible,
            responsible_label=labels.PROMISE_PARTY[p.responsible], responsible_name=p.responsible_name,
            period_start=p.period_start, period_end=p.period_end, status=p.status,
            areas=[{"code": c, "name": area_names.get(c, c)} for c in p.area_codes],
            themes=[{"code": c, "label": theme_labels.get(c, c)} for c in p.theme_codes],
            activities=[PublicActivity(a.title, a.status, labels.ACTIVITY_STATUS[a.status], a.due)
                        for a in p.activities if a.status != "installd"],
            published_at=p.published_at,
        )
        for p in promises
    ]


# Follow-up ---------------------------------------------------------------------------------------------------


@dataclass
class FollowUpFigure:
    code: str
    label: str
    before: int
    after: int
    change_pct: float | None


@dataclass
class FollowUp:
    promise_id: int
    before: Period | None
    after: Period | None
    total: FollowUpFigure
    themes: list[FollowUpFigure]
    months: list[dict[str, Any]]  # {"month": "YYYY-MM", "count": n, "side": "before" | "after"}
    felt_safety_before: float | None
    felt_safety_after: float | None
    linked_concerns: int
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("before", "after"):
            period: Period | None = getattr(self, key)
            data[key] = period and {"start": period.start.isoformat(), "end": period.end.isoformat()}
        return data


def _districts(session: Session, codes: list[str]) -> list[str]:
    """Concerns are stored with district codes: a place in a promise stands for its district."""
    rows = session.execute(select(Area.code, Area.parent_code).where(Area.code.in_(codes))).all()
    return sorted({parent or code for code, parent in rows})


def follow_up(*, session: Session, promise_id: int, today: date | None = None) -> FollowUp:
    """Concerns on the promise's themes in its areas since it started, against as long a period before."""
    promise = get_promise(session, promise_id)
    today = today or today_local()
    end = min(promise.period_end or today, today)
    linked = len(promise.concern_links)
    empty = FollowUpFigure("total", "Alla ärenden", 0, 0, None)
    if end < promise.period_start:
        return FollowUp(promise.id, None, None, empty, [], [], None, None, linked,
                        note="Löftet har inte börjat gälla ännu.")
    after = Period(promise.period_start, end)
    before = after.previous()
    areas = _districts(session, promise.area_codes)
    themes = promise.theme_codes
    # Concerns, not theme rows: a concern on two of the promise's themes counts once in the totals.
    side = case((EffectiveTheme.created_at < after.start_utc, "before"), else_="after").label("side")
    conditions = [
        EffectiveTheme.created_at >= before.start_utc,
        EffectiveTheme.created_at < after.end_utc,
        EffectiveTheme.status != "avvisad",
    ]
    if areas:
        conditions.append(EffectiveTheme.area_code.in_(areas))
    if themes:
        conditions.append(EffectiveTheme.theme_code.in_(themes))
    per_theme = session.execute(
        select(EffectiveTheme.theme_code, side, func.count())
        .where(*conditions)
        .group_by(EffectiveTheme.theme_code, side)
    ).all()
    # Month buckets per side ("before 2026-03"): the month the promise starts in is split at its start date.
    buckets = [f"before {m}" for m, _s, _u in before.months()] + [f"after {m}" for m, _s, _u in after.months()]
    ends = [until for _m, _s, until in before.months()] + [until for _m, _s, until in after.months()]
    month = case(
        *[(EffectiveTheme.created_at < until, bucket) for bucket, until in zip(buckets[:-1], ends[:-1], strict=True)],
        else_=buckets[-1],
    ).label("month")
    concerns = (
        select(EffectiveTheme.concern_id, func.min(EffectiveTheme.created_at).label("created_at"))
        .where(*conditions).group_by(EffectiveTheme.concern_id).subquery()
    )
    concern_side = case((concerns.c.created_at < after.start_utc, "before"), else_="after").label("side")
    per_concern = session.execute(
        select(concern_side, func.count(), func.sum(Concern.felt_safety), func.count(Concern.felt_safety))
        .select_from(concerns).join(Concern, Concern.id == concerns.c.concern_id)
        .group_by(concern_side)
    ).all()
    per_month = session.execute(
        select(month, func.count(func.distinct(EffectiveTheme.concern_id))).where(*conditions).group_by(month)
    ).all()

    theme_labels = dict(session.execute(select(Theme.code, Theme.label)).all())
    by_theme: dict[str, dict[str, int]] = defaultdict(lambda: {"before": 0, "after": 0})
    for code, which, count in per_theme:
        by_theme[code][which] += count
    totals = {which: (count, total, answers) for which, count, total, answers in per_concern}

    def figure(code: str, label: str, before_n: int, after_n: int) -> FollowUpFigure:
        scaled = None if before_n == 0 else round((after_n - before_n) * 100 / before_n, 1)
        return FollowUpFigure(code, label, before_n, after_n, scaled)

    def avg(which: str) -> float | None:
        _count, total, answers = totals.get(which, (0, 0, 0))
        return round((total or 0) / answers, 2) if answers else None

    months_counts: dict[str, int] = {str(bucket): count for bucket, count in per_month}
    return FollowUp(
        promise_id=promise.id,
        before=before,
        after=after,
        total=figure("total", "Alla ärenden", totals.get("before", (0, 0, 0))[0], totals.get("after", (0, 0, 0))[0]),
        themes=[figure(code, theme_labels.get(code, code), n["before"], n["after"])
                for code, n in sorted(by_theme.items(), key=lambda item: -item[1]["before"] - item[1]["after"])],
        months=[{"side": b.split()[0], "month": b.split()[1], "count": months_counts.get(b, 0)} for b in buckets],
        felt_safety_before=avg("before"),
        felt_safety_after=avg("after"),
        linked_concerns=linked,
        note=None if after.days >= 28 else "Löftet har gällt kort tid; jämförelsen säger ännu lite.",
    )


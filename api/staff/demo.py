"""`trygg seed-demo`: a realistic, clearly fictional dataset for Exempelstad, so a fresh install shows a living
dashboard. Everything it creates is marked `is_demo` (concerns and promises): the pages say "demodata", and
`remove_demo` takes it all away again.

About 2,000 concerns over the last 12 months: areas and themes follow AREA_PROFILES, with more darkness concerns
in winter, more multi-theme concerns than not, older concerns mostly reviewed and a few rejected as spam. The
texts are combined from hand-written Swedish building blocks (api/staff/demo_texts.py). Three promises (two
published, one draft) start four months back, so their follow-up has something to show.

`concern_rows` is the shared generator; scripts/bench/generate_concerns.py uses it for a million rows.
"""

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from api.models import Area, Concern, ConcernTheme, Promise
from api.staff import demo_texts as texts
from api.staff import rollups
from api.staff.areas import import_areas
from api.staff.periods import LOCAL_TZ, today_local
from api.staff.promises import ActivityData, PromiseData, create_promise, set_promise_status

DEMO_MODEL_VERSION = "demo"
WEEKDAYS = ["mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag", "vardagar", "helger",
            "alla_dagar"]
FREQUENCIES = ["dagligen", "varje_vecka", "varje_vecka", "varje_manad", "ibland", "ibland", "en_gang"]
CHANNELS = ["web"] * 8 + ["sms", "telegram"]


@dataclass
class DemoConcern:
    id: uuid.UUID
    created_at: datetime
    channel: str
    description: str
    place: str | None
    area_code: str
    time_of_day: str
    weekday: str
    frequency: str
    felt_safety: int | None
    suggestion: str | None
    status: str
    themes: list[tuple[str, float]]  # (theme code, model score), best first


def _places(areas_data: dict[str, Any]) -> dict[str, list[str]]:
    by_district: dict[str, list[str]] = {d["code"]: [d["name"]] for d in areas_data["districts"]}
    for place in areas_data["places"]:
        by_district.setdefault(place["district"], []).append(place["name"])
    return by_district


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[:3].isupper() else text


def concern_rows(
    *, count: int, areas_data: dict[str, Any], today: date, months: int = 12, seed: int = 2026
) -> Iterator[DemoConcern]:
    """`count` fictional concerns spread over the `months` before `today` (deterministic for a seed)."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not security
    places = _places(areas_data)
    area_codes = [code for code in texts.AREA_WEIGHTS if code in places]
    area_weights = [texts.AREA_WEIGHTS[code] for code in area_codes]
    all_themes = list(texts.SITUATIONS)
    start = datetime.combine(today - timedelta(days=months * 30), datetime.min.time(), tzinfo=LOCAL_TZ)
    span = (datetime.combine(today, datetime.max.time(), tzinfo=LOCAL_TZ) - start).total_seconds()
    for _ in range(count):
        area = rng.choices(area_codes, area_weights)[0]
        created = (start + timedelta(seconds=rng.random() * span)).astimezone(UTC)
        profile = texts.AREA_PROFILES.get(area, {})
        # A background of every theme, the area's own problems on top, darkness in the dark months.
        weights = [1 + 3 * profile.get(t, 0) for t in all_themes]
        if created.month in (10, 11, 12, 1, 2):
            weights[all_themes.index("fysisk_miljo")] += 6
        first = rng.choices(all_themes, weights)[0]
        second = None
        if rng.random() < 0.35:
            second = rng.choices(all_themes, weights)[0]
            if second == first:
                second = None
        place = rng.choice(places[area]) if rng.random() < 0.85 else None
        text = rng.choice(texts.SITUATIONS[first])
        if place and first not in ("bedrageri", "polisnarvaro") and rng.random() < 0.6:
            text += f" vid {place}"
        if second:
            text += ", och " + _lower_first(rng.choice(texts.SITUATIONS[second]))
        text += rng.choice(texts.ENDINGS[first])
        if rng.random() < 0.3:
            text += rng.choice(texts.GENERAL_ENDINGS)
        age_days = (today - created.astimezone(LOCAL_TZ).date()).days
        if rng.random() < 0.03:
            status = "avvisad"
        elif age_days > 45:
            status = rng.choices(["granskad", "hanterad", "ny"], [5, 4, 1])[0]
        elif age_days > 10:
            status = rng.choices(["granskad", "ny", "hanterad"], [5, 4, 1])[0]
        else:
            status = "ny"
        unsafe = first in texts.UNSAFE_THEMES
        felt = rng.choices([1, 2, 3, 4, 5], [4, 5, 3, 1, 1] if unsafe else [2, 4, 4, 3, 1])[0]
        themes = [(first, round(rng.uniform(0.55, 0.97), 3))]
        if second:
            themes.append((second, round(rng.uniform(0.4, themes[0][1]), 3)))
        suggestions: list[str | None] = [*texts.SUGGESTIONS.get(first, [])] or [None]
        yield DemoConcern(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            created_at=created,
            channel=rng.choice(CHANNELS),
            description=text,
            place=place,
            area_code=area,
            time_of_day=rng.choices(texts.TIMES[first] + ["vet_inte"], [6, 3, 1][: len(texts.TIMES[first])] + [1])[0],
            weekday=rng.choice(WEEKDAYS),
            frequency=rng.choice(FREQUENCIES),
            felt_safety=felt if rng.random() < 0.9 else None,
            suggestion=rng.choice(suggestions) if rng.random() < 0.5 else None,
            status=status,
            themes=themes,
        )


def demo_present(session: Session) -> bool:
    concern = session.scalar(select(exists().where(Concern.is_demo.is_(True))))
    promise = session.scalar(select(exists().where(Promise.is_demo.is_(True))))
    return bool(concern or promise)


def database_empty(session: Session) -> bool:
    """No concerns and no promises at all (real or demo)."""
    return (session.scalar(select(func.count()).select_from(Concern)) or 0) == 0 and (
        session.scalar(select(func.count()).select_from(Promise)) or 0
    ) == 0


def remove_demo(session: Session) -> int:
    """Delete every demo concern and promise (their themes and links go with them). Returns concerns removed."""
    session.execute(delete(Promise).where(Promise.is_demo.is_(True)))
    removed = session.execute(delete(Concern).where(Concern.is_demo.is_(True))).rowcount or 0  # type: ignore[attr-defined]
    rollups.rebuild_all(session.connection())  # a Core delete passes the flush hook by
    session.commit()
    return int(removed)


def ensure_areas(session: Session, areas_file: str) -> bool:
    """Import the areas file when no areas are stored yet. Returns True if it imported."""
    if session.scalar(select(exists().where(Area.code.is_not(None)))):
        return False
    import_areas(session=session, data=json.loads(Path(areas_file).read_text(encoding="utf-8")))
    return True


def seed_demo(
    *, session: Session, areas_file: str, count: int = 2000, today: date | None = None, seed: int = 2026
) -> int:
    """Create `count` demo concerns and three demo promises for Exempelstad. Returns the number of concerns."""
    today = today or today_local()
    ensure_areas(session, areas_file)
    areas_data = json.loads(Path(areas_file).read_text(encoding="utf-8"))
    made = 0
    batch: list[Concern] = []
    for row in concern_rows(count=count, areas_data=areas_data, today=today, seed=seed):
        concern = Concern(
            id=row.id, created_at=row.created_at, channel=row.channel, description=row.description, place=row.place,
            area_code=row.area_code, time_of_day=row.time_of_day, weekday=row.weekday, frequency=row.frequency,
            felt_safety=row.felt_safety, suggestion=row.suggestion, consent=True, status=row.status,
            idempotency_key=f"demo-{row.id}", conversation_hash=uuid.uuid5(row.id, "demo").hex * 2, is_demo=True,
            reviewed_at=row.created_at + timedelta(days=3) if row.status != "ny" else None,
        )
        concern.theme_assignments = [
            ConcernTheme(theme_code=code, source="model", score=score, model_version=DEMO_MODEL_VERSION)
            for code, score in row.themes
        ]
        batch.append(concern)
        made += 1
        if len(batch) == 500:
            session.add_all(batch)
            session.commit()
            batch = []
    session.add_all(batch)
    session.commit()
    _demo_promises(session, today)
    return made


def _demo_promises(session: Session, today: date) -> None:
    start = (today - timedelta(days=120)).replace(day=1)
    end = date(start.year + 1, start.month, 1) - timedelta(days=1)
    system_user = None  # created by the seeder: the audit trail says "system"
    promises = [
        (PromiseData(
            title="Tryggare kvällar kring Resecentrum",
            text="Polisen och kommunen gör Stationsområdet tryggare på kvällarna: polisen patrullerar till fots "
                 "torsdag till lördag, kommunen byter belysningen i Stationstunneln och röjer buskagen i "
                 "Järnvägsparken. Vi återkommer med hur det har gått.",
            responsible="polis", responsible_name="Polisen i Exempelstad och Exempelstads kommun",
            period_start=start, period_end=end, area_codes=["stationsomradet"],
            theme_codes=["narkotika", "fysisk_miljo"],
            activities=[ActivityData("Fotpatrull torsdag–lördag kväll", "pagar"),
                        ActivityData("Ny belysning i Stationstunneln", "klar", start + timedelta(days=60)),
                        ActivityData("Röja buskagen i Järnvägsparken", "planerad", end)],
        ), "publicerad"),
        (PromiseData(
            title="Lugnare trafik vid Norrbyskolan",
            text="Kommunen bygger farthinder på Norrbyvägen och polisen gör hastighetskontroller vid skolan minst "
                 "två gånger i månaden under terminerna.",
            responsible="kommun", period_start=start, period_end=end, area_codes=["norrby", "norrbyskolan"],
            theme_codes=["trafik"],
            activities=[ActivityData("Farthinder på Norrbyvägen", "klar", start + timedelta(days=45)),
                        ActivityData("Hastighetskontroller vid skolan", "pagar")],
        ), "publicerad"),
        (PromiseData(
            title="Fritidsgården Björken öppen fler kvällar",
            text="Fritidsgården håller öppet till klockan 22 fredag och lördag, med fältassistenter på plats.",
            responsible="kommun", period_start=today + timedelta(days=30), area_codes=["bjorkhagen"],
            theme_codes=["unga_kriminalitet"],
            activities=[ActivityData("Anställa två fältassistenter", "planerad")],
        ), "utkast"),
    ]
    for data, status in promises:
        promise = create_promise(session=session, data=data, staff=system_user, is_demo=True)
        if status != "utkast":
            set_promise_status(session=session, promise_id=promise.id, status=status, staff=system_user)

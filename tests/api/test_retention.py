"""Retention: `trygg purge` and the API's scheduled purge delete old concerns and every row about them."""

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from api.cli import app as cli
from api.models import (
    AuditEvent,
    Concern,
    ConcernNote,
    ConcernTheme,
    EffectiveTheme,
    LagesbildDayAnswer,
    LagesbildDayTheme,
    Promise,
    PromiseConcern,
)
from api.retention import cutoff_for, months_ago, purge_concerns, purge_periodically
from api.staff import audit
from api.staff.rollups import local_day
from tests.factories import make_staff_user

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _concern(session: Session, *, age: timedelta, description: str = "Mörkt i gångtunneln") -> Concern:
    concern = Concern(
        channel="web", description=description, place="Stationsgatan", consent=True,
        idempotency_key=f"k-{uuid.uuid4().hex}", conversation_hash=uuid.uuid4().hex,
        created_at=datetime.now(UTC) - age,
    )
    concern.theme_assignments.append(ConcernTheme(theme_code="narkotika", source="resident"))
    session.add(concern)
    session.flush()
    return concern


def _with_everything(session: Session, concern: Concern, staff: object, promise: Promise) -> None:
    session.add(ConcernNote(concern_id=concern.id, author_id=staff.id, text="Ring fastighetsägaren"))  # type: ignore[attr-defined]
    audit.record(session, staff=staff, action="concern.note", object_type="concern",  # type: ignore[arg-type]
                 object_id=concern.id, after={"text": "Ring fastighetsägaren"})
    session.add(PromiseConcern(promise_id=promise.id, concern_id=concern.id))


def _count(session: Session, model: type, *where: object) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("24m", datetime(2024, 11, 25, 12, 0, tzinfo=UTC)),
        ("2y", datetime(2024, 11, 25, 12, 0, tzinfo=UTC)),
        ("1m", datetime(2026, 10, 25, 12, 0, tzinfo=UTC)),
        ("90d", NOW - timedelta(days=90)),
        (" 12M ", datetime(2025, 11, 25, 12, 0, tzinfo=UTC)),
    ],
)
def test_cutoff_for(age: str, expected: datetime) -> None:
    assert cutoff_for(age, NOW) == expected


@pytest.mark.parametrize("age", ["24", "m", "-3m", "24 months", ""])
def test_cutoff_for_refuses_unclear_ages(age: str) -> None:
    with pytest.raises(ValueError, match="24m"):
        cutoff_for(age, NOW)


def test_months_ago_lands_on_the_last_day_of_a_short_month() -> None:
    assert months_ago(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)


def test_purge_deletes_old_concerns_and_everything_about_them(db: Session, engine: Engine) -> None:
    staff = make_staff_user(db)
    promise = Promise(title="Bättre belysning", text="Kommunen byter armaturer", responsible="kommun",
                      period_start=date(2024, 1, 1))
    db.add(promise)
    db.flush()
    old = _concern(db, age=timedelta(days=800))
    young = _concern(db, age=timedelta(days=30))
    _with_everything(db, old, staff, promise)
    _with_everything(db, young, staff, promise)
    db.commit()
    old_id, young_id = old.id, young.id
    assert _count(db, EffectiveTheme, EffectiveTheme.concern_id == old_id) == 1

    assert purge_concerns(engine, older_than=cutoff_for("24m"), dry_run=True) == 1
    assert purge_concerns(engine, older_than=cutoff_for("24m")) == 1
    db.expire_all()

    assert db.get(Concern, old_id) is None
    for model, column in [(ConcernTheme, ConcernTheme.concern_id), (EffectiveTheme, EffectiveTheme.concern_id),
                          (ConcernNote, ConcernNote.concern_id), (PromiseConcern, PromiseConcern.concern_id)]:
        assert _count(db, model, column == old_id) == 0, model.__name__
        assert _count(db, model, column == young_id) == 1, model.__name__
    assert _count(db, AuditEvent, AuditEvent.object_id == str(old_id)) == 0
    assert _count(db, AuditEvent, AuditEvent.object_id == str(young_id)) == 1
    assert db.get(Promise, promise.id) is not None  # staff's promise stays, only the link to the old concern goes
    assert purge_concerns(engine, older_than=cutoff_for("24m")) == 0  # idempotent


def test_purge_keeps_the_lagesbild_rollups_in_step(db: Session, engine: Engine) -> None:
    old = _concern(db, age=timedelta(days=800))
    _concern(db, age=timedelta(days=30))
    db.commit()
    old_day = local_day(old.created_at)
    assert _count(db, LagesbildDayAnswer, LagesbildDayAnswer.day == old_day) > 0

    assert purge_concerns(engine, older_than=cutoff_for("24m")) == 1
    db.expire_all()

    assert _count(db, LagesbildDayAnswer, LagesbildDayAnswer.day == old_day) == 0
    assert _count(db, LagesbildDayTheme, LagesbildDayTheme.day == old_day) == 0
    assert _count(db, LagesbildDayAnswer, LagesbildDayAnswer.day != old_day) > 0


def test_purge_works_in_batches(db: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("api.retention.BATCH", 2)
    for _ in range(5):
        _concern(db, age=timedelta(days=1000))
    db.commit()
    assert purge_concerns(engine, older_than=cutoff_for("24m")) == 5
    assert _count(db, Concern) == 0


def test_trygg_purge_uses_retention_months_by_default(db: Session, engine: Engine, database_url: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from api.core.config import get_settings
    from api.db import get_engine

    _concern(db, age=timedelta(days=400))
    _concern(db, age=timedelta(days=100))
    db.commit()
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RETENTION_MONTHS", "12")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        runner = CliRunner()
        assert "Would delete 1 concern(s)" in runner.invoke(cli, ["purge", "--dry-run"]).output
        result = runner.invoke(cli, ["purge"])
        assert result.exit_code == 0, result.output
        assert "Deleted 1 concern(s)" in result.output
        assert _count(db, Concern) == 1
        result = runner.invoke(cli, ["purge", "--older-than", "30d"])
        assert "Deleted 1 concern(s)" in result.output
        bad = runner.invoke(cli, ["purge", "--older-than", "lång tid"])
        assert bad.exit_code != 0 and "24m" in bad.output
    finally:
        get_engine().dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()


def test_the_scheduled_purge_runs_repeatedly(db: Session, engine: Engine) -> None:
    _concern(db, age=timedelta(days=900))
    db.commit()

    async def run_briefly() -> None:
        job = asyncio.create_task(purge_periodically(engine, retention_months=24, interval_hours=0.0001,
                                                     first_delay=0))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if _count(db, Concern) == 0:
                break
        job.cancel()

    asyncio.run(run_briefly())
    assert _count(db, Concern) == 0

"""Daily rollups behind the lägesbild: counts per local day × district × theme, and per day × district × answer.

A lägesbild over a quarter of a million-concern database then reads a few thousand rollup rows instead of
aggregating hundreds of thousands of concerns. The rollups are derived data, never edited: `refresh_days`
re-derives whole days from `effective_theme` and `concern` (a day holds a few thousand concerns at most, so this is
cheap), and the ORM flush hook in api/staff/effective.py calls it for the days of every concern a flush touched.
Code that bypasses the ORM (bulk loads, bulk deletes) calls `refresh_days` or `rebuild_all` itself.

Days are Swedish local dates, the unit staff choose periods in; rejected (avvisad) concerns are not counted.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Date, String, cast, delete, func, insert, literal, select

from api.models import Concern, EffectiveTheme, LagesbildDayAnswer, LagesbildDayTheme
from api.staff.periods import LOCAL_TZ, as_utc, local_midnight_utc

QUESTIONS = ("time_of_day", "weekday", "felt_safety")
ROLLUP_LOCK = 74_010  # first key of the per-day advisory locks (the second is the day's ordinal)


def local_day(instant: datetime) -> date:
    return as_utc(instant).astimezone(LOCAL_TZ).date()


def refresh_days(connection: Connection, days: Iterable[date]) -> None:
    """Re-derive the rollup rows of these local days from the base tables."""
    postgres = connection.dialect.name == "postgresql"
    for day in sorted(set(days)):  # ascending, so two writers lock shared days in the same order
        if postgres:
            # Two transactions re-deriving the same day would each delete what they can see and insert their own
            # counts, doubling the day; one at a time per day (released at commit). SQLite has one writer anyway.
            connection.execute(select(func.pg_advisory_xact_lock(ROLLUP_LOCK, day.toordinal())))
        start, end = local_midnight_utc(day), local_midnight_utc(day + timedelta(days=1))
        connection.execute(delete(LagesbildDayTheme).where(LagesbildDayTheme.day == day))
        connection.execute(delete(LagesbildDayAnswer).where(LagesbildDayAnswer.day == day))
        themes = (
            select(literal(day), EffectiveTheme.area_code, EffectiveTheme.theme_code, func.count())
            .where(EffectiveTheme.created_at >= start, EffectiveTheme.created_at < end,
                   EffectiveTheme.status != "avvisad")
            .group_by(EffectiveTheme.area_code, EffectiveTheme.theme_code)
        )
        connection.execute(insert(LagesbildDayTheme).from_select(["day", "area_code", "theme_code", "n"], themes))
        in_day = (Concern.created_at >= start, Concern.created_at < end, Concern.status != "avvisad")
        columns = ["day", "area_code", "question", "answer", "n"]
        total = select(literal(day), Concern.area_code, literal("total"), literal(""), func.count()).where(
            *in_day).group_by(Concern.area_code)
        connection.execute(insert(LagesbildDayAnswer).from_select(columns, total))
        for question in QUESTIONS:
            column = getattr(Concern, question)
            answer = func.coalesce(cast(column, String), "")
            rows = select(literal(day), Concern.area_code, literal(question), answer, func.count()).where(
                *in_day).group_by(Concern.area_code, answer)
            connection.execute(insert(LagesbildDayAnswer).from_select(columns, rows))


def rebuild_all(connection: Connection) -> None:
    """Re-derive every day that has concerns (and clear the rest): after bulk loads and bulk deletes."""
    connection.execute(delete(LagesbildDayTheme))
    connection.execute(delete(LagesbildDayAnswer))
    if connection.dialect.name == "postgresql":
        _rebuild_postgres(connection)
        return
    stamps = connection.execute(select(Concern.created_at)).scalars()
    refresh_days(connection, {local_day(stamp) for stamp in stamps})


def _rebuild_postgres(connection: Connection) -> None:
    """The same in five set-based statements (a million concerns in seconds)."""
    def day(column: Any) -> Any:
        return cast(func.timezone(LOCAL_TZ.key, column), Date)

    et_day = day(EffectiveTheme.created_at)
    connection.execute(insert(LagesbildDayTheme).from_select(
        ["day", "area_code", "theme_code", "n"],
        select(et_day, EffectiveTheme.area_code, EffectiveTheme.theme_code, func.count())
        .where(EffectiveTheme.status != "avvisad")
        .group_by(et_day, EffectiveTheme.area_code, EffectiveTheme.theme_code),
    ))
    c_day = day(Concern.created_at)
    columns = ["day", "area_code", "question", "answer", "n"]
    connection.execute(insert(LagesbildDayAnswer).from_select(
        columns,
        select(c_day, Concern.area_code, literal("total"), literal(""), func.count())
        .where(Concern.status != "avvisad").group_by(c_day, Concern.area_code),
    ))
    for question in QUESTIONS:
        answer = func.coalesce(cast(getattr(Concern, question), String), "")
        connection.execute(insert(LagesbildDayAnswer).from_select(
            columns,
            select(c_day, Concern.area_code, literal(question), answer, func.count())
            .where(Concern.status != "avvisad").group_by(c_day, Concern.area_code, answer),
        ))

"""Date ranges as staff think of them: whole days in Swedish local time, turned into UTC instants for the queries."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
DEFAULT_PERIOD_DAYS = 90  # a quarter: the rhythm of the lägesbild follow-up


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both whole days included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_utc(self) -> datetime:
        return local_midnight_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the period."""
        return local_midnight_utc(self.end + timedelta(days=1))

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def months(self) -> list[tuple[str, datetime, datetime]]:
        """("YYYY-MM", from, to) for each calendar month the period touches, clipped to the period, in UTC."""
        result = []
        cursor = self.start
        while cursor <= self.end:
            next_month = (cursor.replace(day=1) + timedelta(days=32)).replace(day=1)
            last = min(self.end, next_month - timedelta(days=1))
            until = local_midnight_utc(last + timedelta(days=1))
            result.append((cursor.strftime("%Y-%m"), local_midnight_utc(cursor), until))
            cursor = next_month
        return result


def local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


def today_local() -> date:
    return datetime.now(LOCAL_TZ).date()


def resolve(start: date | None, end: date | None) -> Period:
    """The requested period; missing ends default to the last DEFAULT_PERIOD_DAYS days up to today."""
    end = end or today_local()
    start = start or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if start > end:
        raise ValueError("Periodens början ligger efter dess slut.")
    return Period(start, end)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

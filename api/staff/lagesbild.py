"""The lägesbild: what makes residents feel unsafe, where and when, in a period and against the period before.

`build_lagesbild(session=s, period=resolve(start, end), area=None, themes=[], public=False)` returns one
`Lagesbild` with: totals and change against the previous period of the same length; counts per theme, per area
and per theme × area; counts per theme per calendar month; top themes per area; the residents' answers on time of
day and weekday; average felt safety (1–5) overall and per area; and representative quotes.

Figures come from two aggregate queries over the daily rollups (api/staff/rollups.py: day × district × theme and
day × district × answer), so their cost depends on the number of days, not of concerns; with a theme filter they
come straight from `effective_theme` and `concern` instead (index scans over that theme's rows). Quotes take two
small indexed lookups per quoted theme. Rejected (avvisad) concerns are left out.

`public=True` is for figures that leave the staff tool: every count under SUPPRESS_BELOW (5) becomes None
("färre än 5"), as do averages and changes built on such counts, and quotes are left out, so no resident can be
singled out. Quotes come only from concerns staff have reviewed (granskad or hanterad), scrubbed again.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.orm import Session

from api.models import Concern, EffectiveTheme, LagesbildDayAnswer, LagesbildDayTheme, Theme
from api.privacy.redact import redact
from api.staff import labels
from api.staff.areas import area_names
from api.staff.periods import Period
from api.staff.review import demo_data_present
from api.staff.rollups import local_day

SUPPRESS_BELOW = 5
QUOTED_THEMES = 5
QUOTES_PER_THEME = 2
QUOTE_LENGTH = (30, 300)
QUOTE_CANDIDATES = 20
TOP_THEMES_PER_AREA = 3
LEFT_OUT = "avvisad"  # the one status left out of the lägesbild


@dataclass
class Figure:
    code: str
    label: str
    count: int | None
    previous: int | None = None
    change_pct: float | None = None


@dataclass
class AreaFigure(Figure):
    felt_safety_avg: float | None = None
    felt_safety_answers: int | None = None
    top_themes: list[Figure] = field(default_factory=list)


@dataclass
class Cell:
    theme: str
    area: str | None
    count: int | None


@dataclass
class Month:
    month: str  # YYYY-MM
    themes: dict[str, int | None]


@dataclass
class Quote:
    theme: str
    theme_label: str
    area: str | None
    area_name: str
    text: str


@dataclass
class FeltSafety:
    average: float | None
    answers: int | None
    distribution: list[Figure]


@dataclass
class Lagesbild:
    period: Period
    previous_period: Period
    area: str | None
    theme_filter: list[str]
    public: bool
    suppress_below: int
    demo: bool
    total: Figure
    themes: list[Figure]
    areas: list[AreaFigure]
    cells: list[Cell]
    months: list[Month]
    time_of_day: list[Figure]
    weekday: list[Figure]
    felt_safety: FeltSafety
    quotes: list[Quote]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("period", "previous_period"):
            period: Period = getattr(self, key)
            data[key] = {"start": period.start.isoformat(), "end": period.end.isoformat(), "days": period.days}
        return data


def _change(current: int, previous: int) -> float | None:
    return None if previous == 0 else round((current - previous) * 100 / previous, 1)


class _Suppressor:
    def __init__(self, public: bool) -> None:
        self.public = public

    def count(self, value: int) -> int | None:
        return None if self.public and 0 < value < SUPPRESS_BELOW else value

    def figure(self, code: str, label: str, current: int, previous: int | None = None) -> Figure:
        shown_prev = None if previous is None else self.count(previous)
        hidden = self.count(current) is None or (previous is not None and shown_prev is None)
        change = None if previous is None or hidden else _change(current, previous)
        return Figure(code, label, self.count(current), shown_prev, change)


def _month_bucket(period: Period) -> Any:
    """SQL: 'prev' for the previous period, else the YYYY-MM of the (local-time) month the row falls in."""
    whens: list[tuple[ColumnElement[bool], str]] = [(EffectiveTheme.created_at < period.start_utc, "prev")]
    months = period.months()
    for month, _start, until in months[:-1]:
        whens.append((EffectiveTheme.created_at < until, month))
    return case(*whens, else_=months[-1][0])


def build_lagesbild(
    *,
    session: Session,
    period: Period,
    area: str | None = None,
    themes: Iterable[str] = (),
    public: bool = False,
) -> Lagesbild:
    """The lägesbild of `period` (optionally one area and/or some themes); see the module docstring."""
    theme_filter = sorted(set(themes))
    previous = period.previous()
    suppress = _Suppressor(public)
    theme_labels = dict(session.execute(select(Theme.code, Theme.label)).all())
    names = area_names(session=session)

    if theme_filter:
        theme_rows, answer_rows = _from_concerns(session, period, area, theme_filter)
    else:
        theme_rows, answer_rows = _from_rollups(session, period, area)

    # Themes, theme × area cells, months
    theme_now: dict[str, int] = defaultdict(int)
    theme_prev: dict[str, int] = defaultdict(int)
    cells: dict[tuple[str, str | None], int] = defaultdict(int)
    area_theme: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_month: dict[str, dict[str, int]] = {month: defaultdict(int) for month, _s, _u in period.months()}
    for theme, area_code, month, count in theme_rows:
        if month == "prev":
            theme_prev[theme] += count
            continue
        theme_now[theme] += count
        cells[(theme, area_code)] += count
        area_theme[area_code][theme] += count
        by_month[month][theme] += count

    # Areas, patterns, felt safety
    area_now: dict[str | None, int] = defaultdict(int)
    area_prev: dict[str | None, int] = defaultdict(int)
    area_safety: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])  # sum, answers
    time_counts: dict[str, int] = defaultdict(int)
    weekday_counts: dict[str, int] = defaultdict(int)
    safety_counts: dict[int, int] = defaultdict(int)
    for area_code, question, answer, current, count in answer_rows:
        if question == "total":
            (area_now if current else area_prev)[area_code] += count
        elif not current:
            continue
        elif question == "time_of_day":
            time_counts[answer or "vet_inte"] += count
        elif question == "weekday":
            weekday_counts[answer or "vet_inte"] += count
        elif question == "felt_safety" and answer:
            felt = int(answer)
            safety_counts[felt] += count
            area_safety[area_code][0] += felt * count
            area_safety[area_code][1] += count

    def label_of(code: str | None) -> str:
        return names.get(code, code) if code else labels.NO_AREA

    def average(total: int, answers: int) -> float | None:
        if answers == 0 or suppress.count(answers) is None:
            return None
        return round(total / answers, 2)

    theme_figures = sorted(
        (suppress.figure(code, theme_labels.get(code, code), theme_now.get(code, 0), theme_prev.get(code, 0))
         for code in set(theme_now) | set(theme_prev)),
        key=lambda f: (-(theme_now.get(f.code, 0)), f.label),
    )
    area_figures = []
    for code in sorted(set(area_now) | set(area_prev), key=lambda c: (-area_now.get(c, 0), label_of(c))):
        base = suppress.figure(code or "", label_of(code), area_now.get(code, 0), area_prev.get(code, 0))
        top = sorted(area_theme.get(code, {}).items(), key=lambda item: (-item[1], item[0]))[:TOP_THEMES_PER_AREA]
        safety_sum, answers = area_safety.get(code, [0, 0])
        area_figures.append(AreaFigure(
            base.code, base.label, base.count, base.previous, base.change_pct,
            felt_safety_avg=average(safety_sum, answers), felt_safety_answers=suppress.count(answers),
            top_themes=[suppress.figure(t, theme_labels.get(t, t), n) for t, n in top],
        ))
    total_now, total_prev = sum(area_now.values()), sum(area_prev.values())
    answers = sum(safety_counts.values())
    return Lagesbild(
        period=period,
        previous_period=previous,
        area=area,
        theme_filter=theme_filter,
        public=public,
        suppress_below=SUPPRESS_BELOW,
        demo=demo_data_present(session=session),
        total=suppress.figure("total", "Alla ärenden", total_now, total_prev),
        themes=theme_figures,
        areas=area_figures,
        cells=[Cell(theme, area_code, suppress.count(n)) for (theme, area_code), n in sorted(
            cells.items(), key=lambda item: (item[0][0], item[0][1] or ""))],
        months=[Month(month, {t: suppress.count(n) for t, n in sorted(counts.items())})
                for month, counts in by_month.items()],
        time_of_day=[suppress.figure(code, label, time_counts.get(code, 0)) for code, label in
                     labels.TIME_OF_DAY.items() if time_counts.get(code)],
        weekday=[suppress.figure(code, label, weekday_counts.get(code, 0)) for code, label in
                 labels.WEEKDAY.items() if weekday_counts.get(code)],
        felt_safety=FeltSafety(
            average=average(sum(k * v for k, v in safety_counts.items()), answers),
            answers=suppress.count(answers),
            distribution=[suppress.figure(str(k), label, safety_counts.get(k, 0))
                          for k, label in labels.FELT_SAFETY.items()],
        ),
        quotes=[] if public else _quotes(session, period, area, theme_figures, theme_labels, label_of),
    )


ThemeRow = tuple[str, str | None, str, int]  # theme, area, "prev" or YYYY-MM, count
AnswerRow = tuple[str | None, str, str, int, int]  # area, question, answer, 1 = current period, count


def _from_rollups(session: Session, period: Period, area: str | None) -> tuple[list[ThemeRow], list[AnswerRow]]:
    """Both aggregates from the daily rollups: a few thousand rows whatever the number of concerns."""
    previous = period.previous()
    whens: list[tuple[ColumnElement[bool], str]] = [(LagesbildDayTheme.day < period.start, "prev")]
    months = period.months()
    for month, _start, until in months[:-1]:
        whens.append((LagesbildDayTheme.day < local_day(until), month))
    bucket = case(*whens, else_=months[-1][0]).label("bucket")
    conditions = [LagesbildDayTheme.day >= previous.start, LagesbildDayTheme.day <= period.end]
    if area:
        conditions.append(LagesbildDayTheme.area_code == area)
    theme_rows = session.execute(
        select(LagesbildDayTheme.theme_code, LagesbildDayTheme.area_code, bucket, func.sum(LagesbildDayTheme.n))
        .where(*conditions)
        .group_by(LagesbildDayTheme.theme_code, LagesbildDayTheme.area_code, bucket)
    ).all()
    current = case((LagesbildDayAnswer.day >= period.start, 1), else_=0).label("current")
    answer_conditions = [LagesbildDayAnswer.day >= previous.start, LagesbildDayAnswer.day <= period.end]
    if area:
        answer_conditions.append(LagesbildDayAnswer.area_code == area)
    answer_rows = session.execute(
        select(LagesbildDayAnswer.area_code, LagesbildDayAnswer.question, LagesbildDayAnswer.answer, current,
               func.sum(LagesbildDayAnswer.n))
        .where(*answer_conditions)
        .group_by(LagesbildDayAnswer.area_code, LagesbildDayAnswer.question, LagesbildDayAnswer.answer, current)
    ).all()
    return [tuple(r) for r in theme_rows], [tuple(r) for r in answer_rows]


def _from_concerns(
    session: Session, period: Period, area: str | None, theme_filter: list[str]
) -> tuple[list[ThemeRow], list[AnswerRow]]:
    """Both aggregates straight from effective_theme and concern, for concerns on some themes only."""
    previous = period.previous()
    bucket = _month_bucket(period).label("bucket")
    conditions = [
        EffectiveTheme.created_at >= previous.start_utc,
        EffectiveTheme.created_at < period.end_utc,
        EffectiveTheme.status != LEFT_OUT,
        EffectiveTheme.theme_code.in_(theme_filter),
    ]
    if area:
        conditions.append(EffectiveTheme.area_code == area)
    theme_rows = session.execute(
        select(EffectiveTheme.theme_code, EffectiveTheme.area_code, bucket, func.count())
        .where(*conditions)
        .group_by(EffectiveTheme.theme_code, EffectiveTheme.area_code, bucket)
    ).all()
    is_current = case((Concern.created_at >= period.start_utc, 1), else_=0).label("current")
    concern_conditions = [
        Concern.created_at >= previous.start_utc,
        Concern.created_at < period.end_utc,
        Concern.status != LEFT_OUT,
        exists().where(EffectiveTheme.concern_id == Concern.id, EffectiveTheme.theme_code.in_(theme_filter)),
    ]
    if area:
        concern_conditions.append(Concern.area_code == area)
    concern_rows = session.execute(
        select(Concern.area_code, Concern.time_of_day, Concern.weekday, Concern.felt_safety, is_current, func.count())
        .where(*concern_conditions)
        .group_by(Concern.area_code, Concern.time_of_day, Concern.weekday, Concern.felt_safety, is_current)
    ).all()
    answers: list[AnswerRow] = []
    for area_code, time_of_day, weekday, felt, current, count in concern_rows:
        answers += [
            (area_code, "total", "", current, count),
            (area_code, "time_of_day", time_of_day or "", current, count),
            (area_code, "weekday", weekday or "", current, count),
            (area_code, "felt_safety", "" if felt is None else str(felt), current, count),
        ]
    return [tuple(r) for r in theme_rows], answers


def _quotes(
    session: Session, period: Period, area: str | None, theme_figures: list[Figure], theme_labels: dict[str, str],
    label_of: Any,
) -> list[Quote]:
    """A few recent, reviewed concerns in the words of residents for each of the biggest themes."""
    quotes: list[Quote] = []
    seen: set[str] = set()
    for figure in theme_figures[:QUOTED_THEMES]:
        if not figure.count:
            continue
        # Newest reviewed concerns on the theme through its (theme_code, created_at) index, then their texts:
        # two small indexed lookups, never a scan of the concern table.
        conditions = [
            EffectiveTheme.theme_code == figure.code,
            EffectiveTheme.created_at >= period.start_utc,
            EffectiveTheme.created_at < period.end_utc,
            EffectiveTheme.status.in_(("granskad", "hanterad")),
        ]
        if area:
            conditions.append(EffectiveTheme.area_code == area)
        ids = list(session.scalars(
            select(EffectiveTheme.concern_id).where(*conditions)
            .order_by(EffectiveTheme.created_at.desc()).limit(QUOTE_CANDIDATES)
        ))
        found = session.execute(
            select(Concern.id, Concern.description, Concern.area_code, Concern.created_at).where(Concern.id.in_(ids))
        ).all() if ids else []
        rows = [
            (text, area_code) for _id, text, area_code, _at in sorted(found, key=lambda r: r[3], reverse=True)
            if QUOTE_LENGTH[0] <= len(text) <= QUOTE_LENGTH[1]
        ]
        taken = 0
        for text, area_code in rows:
            if text in seen or taken == QUOTES_PER_THEME:
                continue
            seen.add(text)
            taken += 1
            quotes.append(Quote(figure.code, theme_labels.get(figure.code, figure.code), area_code,
                                label_of(area_code), redact(text).text))
    return quotes

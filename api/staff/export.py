"""CSV and XLSX exports of the lägesbild and of concern lists, for the lägesbild report and further analysis.

CSV is written the way Swedish Excel opens it directly: UTF-8 with BOM, `;` between fields, decimal comma.
Resident text is data, never a formula: any cell starting with = + - @ or a control character gets a leading
apostrophe (OWASP "CSV injection"), in CSV and XLSX alike. Concern lists are read in keyset batches, so an export
of every concern streams in constant memory (XLSX in openpyxl's write-only mode).

    lagesbild_csv(lb) -> str                 lagesbild_xlsx(lb) -> bytes
    concerns_csv(session=s, filters=f)       -> Iterator[str] (lines)
    concerns_xlsx(session=s, filters=f)      -> bytes
"""

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Connection, Engine, select, tuple_
from sqlalchemy.orm import Session

from api.models import Concern, Theme
from api.staff import labels
from api.staff.areas import area_names
from api.staff.lagesbild import Figure, Lagesbild
from api.staff.periods import LOCAL_TZ, as_utc
from api.staff.review import ConcernFilter, filtered_query

BATCH = 2000
MAX_ROWS = 1_048_575  # one XLSX sheet (minus the header)
SUPPRESSED = "<5"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """The value as a cell: numbers stay numbers, text that a spreadsheet would run as a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _decimal(value: Any) -> Any:
    return str(value).replace(".", ",") if isinstance(value, float) else value


def _csv(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_decimal(safe(cell)) for cell in row])
    return out.getvalue()


def _shown(value: int | None, public: bool) -> Any:
    return SUPPRESSED if value is None and public else value


# Lägesbild --------------------------------------------------------------------------------------------------

LAGESBILD_HEADER = ["Avsnitt", "Kod", "Namn", "Antal", "Föregående period", "Förändring (%)", "Trygghet (1–5)"]


def lagesbild_rows(lb: Lagesbild) -> list[list[Any]]:
    """The lägesbild as one long table (section, code, name, count, previous, change, felt safety)."""
    public = lb.public

    def row(section: str, f: Figure, safety: Any = None) -> list[Any]:
        return [section, f.code, f.label, _shown(f.count, public), _shown(f.previous, public), f.change_pct, safety]

    rows = [LAGESBILD_HEADER]
    rows.append(["Period", "", f"{lb.period.start} – {lb.period.end}", "", f"{lb.previous_period.start} – "
                 f"{lb.previous_period.end}", "", ""])
    rows.append(row("Totalt", lb.total, lb.felt_safety.average))
    rows += [row("Tema", f) for f in lb.themes]
    rows += [row("Område", f, f.felt_safety_avg) for f in lb.areas]
    rows += [["Tema × område", f"{c.theme}/{c.area or ''}", "", _shown(c.count, public), "", "", ""] for c in lb.cells]
    rows += [["Månad", m.month, theme, _shown(n, public), "", "", ""]
             for m in lb.months for theme, n in m.themes.items()]
    rows += [row("Tid på dygnet", f) for f in lb.time_of_day]
    rows += [row("Veckodag", f) for f in lb.weekday]
    rows += [row("Upplevd trygghet", f) for f in lb.felt_safety.distribution]
    rows += [["Citat", q.theme, q.area_name, "", "", "", q.text] for q in lb.quotes]
    if lb.demo:
        rows.append(["Obs", "", "Demodata: siffrorna är påhittade", "", "", "", ""])
    return rows


def lagesbild_csv(lb: Lagesbild) -> str:
    return "\ufeff" + _csv(lagesbild_rows(lb))


def lagesbild_xlsx(lb: Lagesbild) -> bytes:
    """One sheet per part: Översikt, Teman, Områden, Tema × område (matrix), Månader, Mönster, Trygghet, Citat."""
    public = lb.public
    book = Workbook()
    overview = book.active
    assert overview is not None
    overview.title = "Översikt"
    for line in (
        ["Lägesbild", f"{lb.period.start} – {lb.period.end}"],
        ["Jämförs med", f"{lb.previous_period.start} – {lb.previous_period.end}"],
        ["Område", lb.area or "Hela kommunen"],
        ["Ärenden", _shown(lb.total.count, public)],
        ["Föregående period", _shown(lb.total.previous, public)],
        ["Förändring (%)", lb.total.change_pct],
        ["Upplevd trygghet, medel (1–5)", lb.felt_safety.average],
        ["Publik version (antal under 5 dolda)" if public else "Intern version", ""],
        *([["Demodata", "Siffrorna är påhittade"]] if lb.demo else []),
    ):
        overview.append([safe(c) for c in line])

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = book.create_sheet(title)
        ws.append(header)
        for r in rows:
            ws.append([safe(c) for c in r])

    def fig(f: Figure) -> list[Any]:
        return [f.code, f.label, _shown(f.count, public), _shown(f.previous, public), f.change_pct]

    head = ["Kod", "Namn", "Antal", "Föregående period", "Förändring (%)"]
    sheet("Teman", head, [fig(f) for f in lb.themes])
    sheet("Områden", [*head, "Trygghet (1–5)", "Vanligaste teman"],
          [[*fig(f), f.felt_safety_avg, ", ".join(t.label for t in f.top_themes)] for f in lb.areas])
    theme_codes = [f.code for f in lb.themes]
    matrix: dict[str | None, dict[str, Any]] = {}
    for cell in lb.cells:
        matrix.setdefault(cell.area, {})[cell.theme] = _shown(cell.count, public)
    names = {f.code or None: f.label for f in lb.areas}
    sheet("Tema × område", ["Område", *[f.label for f in lb.themes]],
          [[names.get(a, a or labels.NO_AREA), *[row.get(t, 0) for t in theme_codes]] for a, row in matrix.items()])
    sheet("Månader", ["Månad", *[f.label for f in lb.themes]],
          [[m.month, *[_shown(m.themes.get(t), public) if t in m.themes else 0 for t in theme_codes]]
           for m in lb.months])
    sheet("Mönster", ["Typ", "Kod", "Namn", "Antal"],
          [["Tid på dygnet", f.code, f.label, _shown(f.count, public)] for f in lb.time_of_day]
          + [["Veckodag", f.code, f.label, _shown(f.count, public)] for f in lb.weekday])
    sheet("Trygghet", ["Svar", "Namn", "Antal"],
          [[f.code, f.label, _shown(f.count, public)] for f in lb.felt_safety.distribution])
    if lb.quotes:
        sheet("Citat", ["Tema", "Område", "Citat"], [[q.theme_label, q.area_name, q.text] for q in lb.quotes])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Concern lists ----------------------------------------------------------------------------------------------

CONCERN_HEADER = [
    "Id", "Inkommet", "Kanal", "Status", "Område", "Plats", "Teman", "Temakälla", "Beskrivning", "Tid på dygnet",
    "Veckodag", "Hur ofta", "Upplevd trygghet (1–5)", "Förslag", "Demodata",
]


def _concern_batches(session: Session, filters: ConcernFilter, limit: int) -> Iterator[list[list[Any]]]:
    names = area_names(session=session)
    theme_labels = dict(session.execute(select(Theme.code, Theme.label)).all())
    base = filtered_query(session, filters).order_by(Concern.created_at.desc(), Concern.id.desc())
    last: tuple[Any, Any] | None = None
    sent = 0
    while sent < limit:
        query = base if last is None else base.where(tuple_(Concern.created_at, Concern.id) < tuple_(*last))
        batch = list(session.scalars(query.limit(min(BATCH, limit - sent))))
        if not batch:
            return
        rows = []
        for c in batch:
            themes = c.themes
            rows.append([
                str(c.id), as_utc(c.created_at).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"), c.channel,
                labels.CONCERN_STATUS.get(c.status, c.status), names.get(c.area_code or "", c.area_code or ""),
                c.place, ", ".join(theme_labels.get(t.theme_code, t.theme_code) for t in themes),
                themes[0].source if themes else "", c.description,
                labels.TIME_OF_DAY.get(c.time_of_day or "", c.time_of_day),
                labels.WEEKDAY.get(c.weekday or "", c.weekday), labels.FREQUENCY.get(c.frequency or "", c.frequency),
                c.felt_safety, c.suggestion, c.is_demo,
            ])
        yield rows
        sent += len(batch)
        last = (batch[-1].created_at, batch[-1].id)
        session.expunge_all()  # keep memory flat over a long export


def concerns_csv(*, session: Session, filters: ConcernFilter, limit: int = MAX_ROWS) -> Iterator[str]:
    """The matching concerns, newest first, as CSV text chunks (header first)."""
    yield "\ufeff" + _csv([CONCERN_HEADER])
    for rows in _concern_batches(session, filters, limit):
        yield _csv(rows)


def concerns_csv_stream(*, bind: Engine | Connection, filters: ConcernFilter) -> Iterator[str]:
    """`concerns_csv` for a streamed HTTP response: it outlives the request's session, so it reads through a session
    of its own on the same engine, closed when the stream ends or is abandoned."""
    with Session(bind=bind) as session:
        yield from concerns_csv(session=session, filters=filters)


def concerns_xlsx(*, session: Session, filters: ConcernFilter, limit: int = MAX_ROWS) -> bytes:
    book = Workbook(write_only=True)
    ws = book.create_sheet("Ärenden")
    ws.append(CONCERN_HEADER)
    for rows in _concern_batches(session, filters, limit):
        for row in rows:
            ws.append([safe(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

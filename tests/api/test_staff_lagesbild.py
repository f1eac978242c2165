"""The lägesbild on a known dataset: counts, change, months, patterns, felt safety, quotes, suppression, and the
CSV/XLSX exports read back (SQLite and PostgreSQL)."""

import csv
import io
import threading
import time
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.models import LagesbildDayAnswer, LagesbildDayTheme
from api.staff.lagesbild import build_lagesbild
from api.staff.periods import Period
from tests.api.staff_support import at, body, load_areas, login, make_concern

URL = "/api/v1/staff/lagesbild"
PERIOD = {"from": "2026-04-01", "to": "2026-06-29"}  # 90 days; the previous period is 2026-01-01 – 2026-03-31


def _dataset(db: Session) -> None:
    load_areas(db)
    # current period: 6 × trafik in Norrby (one also fysisk_miljo), 2 × narkotika in Centrum, 1 avvisad (left out)
    for n in range(6):
        make_concern(db, area_code="norrby", themes=["trafik", "fysisk_miljo"] if n == 0 else ["trafik"],
                     created_at=at(2026, 4 if n < 3 else 6, 10 + n), felt_safety=2, time_of_day="kvall",
                     weekday="fredag", status="granskad",
                     description=f"Bilar och mopeder kör som galningar förbi skolan, nummer {n}")
    for n in range(2):
        make_concern(db, area_code="centrum", themes=["narkotika"], created_at=at(2026, 5, 3 + n), felt_safety=4,
                     time_of_day="natt", weekday="lordag")
    make_concern(db, area_code="norrby", themes=["trafik"], created_at=at(2026, 5, 5), status="avvisad")
    # previous period: 3 × trafik in Norrby; outside both periods: ignored
    for n in range(3):
        make_concern(db, area_code="norrby", themes=["trafik"], created_at=at(2026, 2, 1 + n), felt_safety=3)
    make_concern(db, area_code="norrby", themes=["trafik"], created_at=at(2025, 6, 1))


def test_figures_on_a_known_dataset(client: TestClient, db: Session) -> None:
    _dataset(db)
    viewer = login(client, db, "viewer")
    lb = body(client.get(URL, params=PERIOD, headers=viewer))
    assert lb["period"] == {"start": "2026-04-01", "end": "2026-06-29", "days": 90}
    assert lb["previous_period"]["start"] == "2026-01-01"
    assert (lb["total"]["count"], lb["total"]["previous"], lb["total"]["change_pct"]) == (8, 3, 166.7)
    themes = {t["code"]: t for t in lb["themes"]}
    assert (themes["trafik"]["count"], themes["trafik"]["previous"], themes["trafik"]["change_pct"]) == (6, 3, 100.0)
    assert (themes["narkotika"]["count"], themes["narkotika"]["previous"]) == (2, 0)
    assert themes["narkotika"]["change_pct"] is None
    assert themes["fysisk_miljo"]["count"] == 1
    assert [t["code"] for t in lb["themes"]][0] == "trafik"
    areas = {a["code"]: a for a in lb["areas"]}
    assert areas["norrby"]["label"] == "Norrby"
    assert (areas["norrby"]["count"], areas["norrby"]["previous"]) == (6, 3)
    assert areas["norrby"]["felt_safety_avg"] == 2.0
    assert [t["code"] for t in areas["norrby"]["top_themes"]] == ["trafik", "fysisk_miljo"]
    assert areas["centrum"]["felt_safety_avg"] == 4.0
    cells = {(c["theme"], c["area"]): c["count"] for c in lb["cells"]}
    assert cells == {("trafik", "norrby"): 6, ("fysisk_miljo", "norrby"): 1, ("narkotika", "centrum"): 2}
    months = {m["month"]: m["themes"] for m in lb["months"]}
    assert list(months) == ["2026-04", "2026-05", "2026-06"]
    assert months["2026-04"] == {"fysisk_miljo": 1, "trafik": 3}
    assert months["2026-05"] == {"narkotika": 2}
    assert months["2026-06"] == {"trafik": 3}
    assert {f["code"]: f["count"] for f in lb["time_of_day"]} == {"kvall": 6, "natt": 2}
    assert {f["code"]: f["count"] for f in lb["weekday"]} == {"fredag": 6, "lordag": 2}
    assert lb["felt_safety"]["average"] == 2.5 and lb["felt_safety"]["answers"] == 8
    # quotes: only reviewed concerns (the Norrby ones), at most two per theme, never the same text twice
    assert lb["quotes"] and all(q["area"] == "norrby" for q in lb["quotes"])
    assert len({q["text"] for q in lb["quotes"]}) == len(lb["quotes"])
    assert lb["demo"] is False


def test_area_and_theme_filters(client: TestClient, db: Session) -> None:
    _dataset(db)
    viewer = login(client, db, "viewer")
    centrum = body(client.get(URL, params={**PERIOD, "area": "centrum"}, headers=viewer))
    assert centrum["total"]["count"] == 2 and [t["code"] for t in centrum["themes"]] == ["narkotika"]
    fysisk = body(client.get(URL, params={**PERIOD, "theme": "fysisk_miljo"}, headers=viewer))
    assert fysisk["total"]["count"] == 1 and fysisk["felt_safety"]["answers"] == 1


def test_public_figures_hide_counts_under_five(db: Session) -> None:
    _dataset(db)
    lb = build_lagesbild(session=db, period=Period(date(2026, 4, 1), date(2026, 6, 29)), public=True)
    themes = {t.code: t for t in lb.themes}
    assert themes["trafik"].count == 6 and themes["trafik"].previous is None and themes["trafik"].change_pct is None
    assert themes["narkotika"].count is None and themes["fysisk_miljo"].count is None
    areas = {a.code: a for a in lb.areas}
    assert areas["norrby"].count == 6 and areas["norrby"].felt_safety_avg == 2.0
    assert areas["centrum"].count is None and areas["centrum"].felt_safety_avg is None
    assert {(c.theme, c.area): c.count for c in lb.cells}[("narkotika", "centrum")] is None
    assert lb.quotes == []
    patterns = [*lb.time_of_day, *lb.weekday, *lb.felt_safety.distribution]
    assert all(f.count in (None, 0) or f.count >= 5 for f in patterns)


def test_exports_parse_back(client: TestClient, db: Session) -> None:
    _dataset(db)
    make_concern(db, description="=HYPERLINK(\"http://evil\")", area_code="centrum", themes=["ovrigt"],
                 created_at=at(2026, 5, 20), status="granskad")
    viewer = login(client, db, "viewer")
    response = client.get(f"{URL}/export.csv", params=PERIOD, headers=viewer)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Avsnitt", "Kod", "Namn", "Antal"]
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert by_key[("Tema", "trafik")][3:6] == ["6", "3", "100,0"]
    assert by_key[("Totalt", "total")][3] == "9"
    public_rows = list(csv.reader(io.StringIO(client.get(f"{URL}/export.csv", params={**PERIOD, "public": "true"},
                                                         headers=viewer).content.decode("utf-8-sig")), delimiter=";"))
    assert {(r[0], r[1]): r for r in public_rows}[("Tema", "narkotika")][3] == "<5"

    xlsx = client.get(f"{URL}/export.xlsx", params=PERIOD, headers=viewer)
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[:3] == ["Översikt", "Teman", "Områden"]
    themes = {row[0]: row for row in book["Teman"].iter_rows(min_row=2, values_only=True)}
    assert themes["trafik"][2:4] == (6, 3)
    matrix = list(book["Tema × område"].iter_rows(values_only=True))
    assert "Trafik" in matrix[0]

    concerns_csv = client.get("/api/v1/staff/concerns/export.csv", params={"area": "centrum"}, headers=viewer)
    concern_rows = list(csv.reader(io.StringIO(concerns_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert concern_rows[0][0] == "Id" and len(concern_rows) == 1 + 3
    assert concern_rows[1][8] == "'=HYPERLINK(\"http://evil\")"  # a formula is defused, not run
    assert concern_rows[1][4] == "Centrum"
    concerns_xlsx = client.get("/api/v1/staff/concerns/export.xlsx", params={"theme": "trafik"}, headers=viewer)
    sheet = load_workbook(io.BytesIO(concerns_xlsx.content))["Ärenden"]
    data = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(data) == 11 and all("Trafik" in row[6] for row in data)


def test_bad_period_is_refused(client: TestClient, db: Session) -> None:
    viewer = login(client, db, "viewer")
    assert client.get(URL, params={"from": "2026-05-01", "to": "2026-04-01"}, headers=viewer).status_code == 422


def test_concurrent_writes_on_one_day_are_counted_once_each(db: Session, engine: Engine) -> None:
    """Two transactions storing concerns on the same day: the day's rollup ends with both, neither doubled."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has a single writer")
    day = at(2026, 3, 3)
    make_concern(db, created_at=day)  # the day already has a committed rollup row that both writers replace
    first = Session(bind=engine)
    make_concern(first, created_at=day, commit=False)
    first.flush()  # re-derives the day and holds its lock until commit

    def second_writer() -> None:
        with Session(bind=engine) as second:
            make_concern(second, created_at=day, commit=False)
            second.commit()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(1.0)  # the second writer now waits for the day's lock
    first.commit()
    first.close()
    thread.join(timeout=60)
    totals = db.scalars(select(LagesbildDayAnswer.n).where(LagesbildDayAnswer.question == "total")).all()
    assert sum(totals) == 3
    assert sum(db.scalars(select(LagesbildDayTheme.n)).all()) == 3

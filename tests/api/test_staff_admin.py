"""Admin: areas import (CLI and API), place matching from the database, themes (add, rename, retire), users,
and `trygg seed-demo` (SQLite and PostgreSQL)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from api.cli import app as cli
from api.core.config import Settings, get_settings
from api.models import Area, AuditEvent, Concern, Promise, Theme
from api.staff import demo
from api.staff.areas import area_index, districts_geojson
from tests.api.staff_support import AREAS_FILE, body, login
from tests.factories import concern_payload


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`trygg` against the test database."""
    from api import db as api_db

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    api_db.get_engine.cache_clear()
    api_db.get_sessionmaker.cache_clear()
    yield
    get_settings.cache_clear()
    api_db.get_engine.cache_clear()
    api_db.get_sessionmaker.cache_clear()


def test_import_areas_command_and_reimport(db: Session, cli_env: None, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["import-areas", str(AREAS_FILE)])
    assert result.exit_code == 0, result.output
    assert "54 new, 0 updated, 0 retired" in result.output
    districts = db.scalar(select(func.count()).select_from(Area).where(Area.kind == "district"))
    places = db.scalar(select(func.count()).select_from(Area).where(Area.kind == "place"))
    assert (districts, places) == (12, 42)
    assert db.get(Area, "stortorget").parent_code == "centrum"  # type: ignore[union-attr]
    geo = districts_geojson(session=db)
    assert len(geo["features"]) == 12 and geo["features"][0]["geometry"]["type"] == "Polygon"

    # A new file without Tallmo retires it (never deletes) and renames Norrby.
    data = json.loads(AREAS_FILE.read_text(encoding="utf-8"))
    data["districts"] = [d for d in data["districts"] if d["code"] != "tallmo"]
    data["places"] = [p for p in data["places"] if p["district"] != "tallmo"]
    next(d for d in data["districts"] if d["code"] == "norrby")["name"] = "Norrby by"
    changed = tmp_path / "areas.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-areas", str(changed)])
    assert "0 new, 1 updated, 3 retired" in result.output, result.output
    db.expire_all()
    assert db.get(Area, "tallmo").active is False  # type: ignore[union-attr]

    broken = tmp_path / "broken.json"
    broken.write_text('{"districts": [{"code": "x"}]}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-areas", str(broken)])
    assert result.exit_code == 1 and "ogiltig" in result.output


def test_places_match_districts_from_the_database(
    client: TestClient, db: Session, settings: Settings, service_headers: dict[str, str]
) -> None:
    admin = login(client, db, "admin")
    data = json.loads(AREAS_FILE.read_text(encoding="utf-8"))
    data["places"].append({"code": "nya_torget", "name": "Nya torget", "district": "hamnen", "aliases": []})
    assert body(client.post("/api/v1/staff/areas/import", json=data, headers=admin))["created"] == 55
    assert area_index(db, settings.areas_file).match("vid Nya torget på kvällen") == "hamnen"
    stored = client.post("/api/v1/concerns", json=concern_payload(place="Nya torget"), headers=service_headers)
    assert stored.json()["area_code"] == "hamnen"  # the chat flow uses the imported areas
    areas = body(client.get("/api/v1/staff/areas", headers=admin))
    assert {"code": "nya_torget", "kind": "place", "parent_code": "hamnen"}.items() <= next(
        a for a in areas if a["code"] == "nya_torget").items()
    assert client.post("/api/v1/staff/areas/import", json={"districts": "nej"}, headers=admin).status_code == 422


def test_themes_are_added_renamed_and_retired_never_deleted(client: TestClient, db: Session) -> None:
    admin = login(client, db, "admin")
    created = client.post("/api/v1/staff/themes", json={"code": "tiggeri", "label": "Tiggeri",
                                                         "description": "Påträngande tiggeri"}, headers=admin)
    assert created.status_code == 201
    try:
        assert client.post("/api/v1/staff/themes", json={"code": "tiggeri", "label": "Igen"},
                           headers=admin).status_code == 422
        renamed = body(client.patch("/api/v1/staff/themes/tiggeri", json={"label": "Tiggeri och försäljning"},
                                    headers=admin))
        assert renamed["label"] == "Tiggeri och försäljning"
        retired = body(client.patch("/api/v1/staff/themes/tiggeri", json={"active": False}, headers=admin))
        assert retired["active"] is False
        assert any(t["code"] == "tiggeri" for t in body(client.get("/api/v1/staff/themes", headers=admin)))
        actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "theme")))
        assert actions == ["theme.create", "theme.update", "theme.retire"]
        assert client.patch("/api/v1/staff/themes/finns_inte", json={"label": "x"}, headers=admin).status_code == 404
    finally:  # the theme table keeps its rows between tests (it is seeded by the migration)
        db.query(Theme).filter(Theme.code == "tiggeri").delete()
        db.commit()


def test_users_are_managed_by_admins_and_the_last_admin_stays(client: TestClient, db: Session) -> None:
    admin = login(client, db, "admin", username="admin-anna")
    user = body(client.post("/api/v1/staff/users", json={"username": "kalle", "password": "ett-långt-lösenord",
                                                         "role": "viewer"}, headers=admin))
    assert client.post("/api/v1/staff/users", json={"username": "kalle", "password": "ett-långt-lösenord",
                                                    "role": "viewer"}, headers=admin).status_code == 422
    promoted = body(client.patch(f"/api/v1/staff/users/{user['id']}", json={"role": "analyst"}, headers=admin))
    assert promoted["role"] == "analyst"
    me = body(client.get("/api/v1/staff/me", headers=admin))
    assert me["role"] == "admin" and set(me["permissions"]) == {"read", "review", "promises", "admin"}
    users = body(client.get("/api/v1/staff/users", headers=admin))
    own_id = next(u["id"] for u in users if u["username"] == "admin-anna")
    assert client.patch(f"/api/v1/staff/users/{own_id}", json={"is_active": False}, headers=admin).status_code == 422
    audit = body(client.get("/api/v1/staff/audit", params={"object_type": "user"}, headers=admin))
    assert [e["action"] for e in audit] == ["user.update", "user.create"]


def test_seed_demo_marks_its_data_and_runs_only_on_an_empty_database(
    client: TestClient, db: Session, cli_env: None
) -> None:
    result = CliRunner().invoke(cli, ["seed-demo", "--count", "150", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(func.count()).select_from(Concern).where(Concern.is_demo)) == 150
    assert db.scalar(select(func.count()).select_from(Promise).where(Promise.is_demo)) == 3
    assert db.scalar(select(func.count()).select_from(Area)) == 54
    again = CliRunner().invoke(cli, ["seed-demo", "--count", "150", "--if-empty"])
    assert "no demo data added" in again.output
    assert db.scalar(select(func.count()).select_from(Concern)) == 150
    viewer = login(client, db, "viewer")
    listed = body(client.get("/api/v1/staff/concerns", headers=viewer))
    assert listed["demo"] is True and all(c["is_demo"] for c in listed["items"])
    assert all(c["themes"] and c["area_code"] for c in listed["items"])
    lb = body(client.get("/api/v1/staff/lagesbild", headers=viewer))
    assert lb["demo"] is True and lb["total"]["count"] > 0 and lb["quotes"]
    public = body(client.get("/api/v1/public/promises", params={"area": "Resecentrum"}))
    assert [p["title"] for p in public["items"]] == ["Tryggare kvällar kring Resecentrum"]
    assert demo.remove_demo(db) == 150
    assert db.scalar(select(func.count()).select_from(Promise)) == 0

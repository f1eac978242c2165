"""Medborgarlöften: lifecycle, permissions, audit, follow-up, and the public API (SQLite and PostgreSQL)."""

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import AuditEvent, StaffUser
from api.staff import promises
from tests.api.staff_support import at, body, load_areas, login, make_concern

URL = "/api/v1/staff/promises"
PUBLIC = "/api/v1/public/promises"


def _payload(**overrides: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "title": "Tryggare väg till skolan i Norrby",
        "text": "Polisen gör hastighetskontroller på Norrbyvägen varje vecka under terminen.",
        "responsible": "polis",
        "period_start": "2026-04-01",
        "period_end": "2026-12-31",
        "areas": ["norrby"],
        "themes": ["trafik"],
        "activities": [{"title": "Hastighetskontroller vid skolan", "status": "planerad"},
                       {"title": "Ny belysning vid övergångsstället", "status": "pagar", "due": "2026-09-30"}],
    }
    payload.update(overrides)
    return payload


def test_from_draft_to_published_to_closed(client: TestClient, db: Session) -> None:
    load_areas(db)
    concern = make_concern(db, area_code="norrby", themes=["trafik"])
    analyst = login(client, db, "analyst", username="karin")
    created = client.post(URL, json=_payload(concerns=[str(concern.id)]), headers=analyst)
    assert created.status_code == 201, created.text
    promise = created.json()
    assert promise["status"] == "utkast" and promise["concern_ids"] == [str(concern.id)]
    assert [a["title"] for a in promise["activities"]][0] == "Hastighetskontroller vid skolan"
    assert body(client.get(PUBLIC, params={"area": "norrby"}))["items"] == []  # drafts are not public

    updated = body(client.put(f"{URL}/{promise['id']}", json=_payload(title="Trygg skolväg i Norrby",
                                                                        areas=["norrby", "norrbyskolan"]),
                              headers=analyst))
    assert updated["title"] == "Trygg skolväg i Norrby" and updated["area_codes"] == ["norrby", "norrbyskolan"]
    assert updated["concern_ids"] == []
    published = body(client.put(f"{URL}/{promise['id']}/status", json={"status": "publicerad"}, headers=analyst))
    assert published["status"] == "publicerad" and published["published_at"]

    activity = updated["activities"][0]["id"]
    done = body(client.put(f"{URL}/{promise['id']}/activities/{activity}/status", json={"status": "klar"},
                           headers=analyst))
    assert done["status"] == "klar"
    concern_detail = body(client.get(f"/api/v1/staff/concerns/{concern.id}", headers=analyst))
    assert concern_detail["promises"] == []  # the update unlinked it

    closed = client.put(f"{URL}/{promise['id']}/status", json={"status": "avslutad"}, headers=analyst)
    assert closed.json()["status"] == "avslutad"
    assert client.put(f"{URL}/{promise['id']}/status", json={"status": "utkast"}, headers=analyst).status_code == 422
    actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "promise")
                              .order_by(AuditEvent.id)))
    assert actions == ["promise.create", "promise.update", "promise.status", "promise.activity", "promise.status"]


def test_validation_and_permissions(client: TestClient, db: Session) -> None:
    load_areas(db)
    analyst = login(client, db, "analyst")
    viewer = login(client, db, "viewer")
    assert client.post(URL, json=_payload(), headers=viewer).status_code == 403
    assert client.post(URL, json=_payload(areas=["atlantis"]), headers=analyst).status_code == 422
    assert client.post(URL, json=_payload(themes=["finns_inte"]), headers=analyst).status_code == 422
    assert client.post(URL, json=_payload(period_end="2026-01-01"), headers=analyst).status_code == 422
    assert client.post(URL, json=_payload(responsible="kyrkan"), headers=analyst).status_code == 422
    draft = body(client.post(URL, json=_payload(areas=[]), headers=analyst))
    refused = client.put(f"{URL}/{draft['id']}/status", json={"status": "publicerad"}, headers=analyst)
    assert refused.status_code == 422  # a promise needs an area before it is published
    assert client.get(f"{URL}/999999", headers=viewer).status_code == 404
    assert len(body(client.get(URL, headers=viewer))) == 1


def test_public_api_shows_published_promises_without_internal_data(client: TestClient, db: Session) -> None:
    load_areas(db)
    analyst = login(client, db, "analyst")
    concern = make_concern(db, area_code="norrby", themes=["trafik"])
    norrby = body(client.post(URL, json=_payload(concerns=[str(concern.id)]), headers=analyst))
    centrum = body(client.post(URL, json=_payload(title="Lugnare Stortorget", areas=["centrum"], responsible="kommun",
                                                  themes=["alkohol"]), headers=analyst))
    body(client.post(URL, json=_payload(title="Bara ett utkast", areas=["norrby"]), headers=analyst))
    for promise in (norrby, centrum):
        body(client.put(f"{URL}/{promise['id']}/status", json={"status": "publicerad"}, headers=analyst))

    everything = body(client.get(PUBLIC))
    titles = sorted(p["title"] for p in everything["items"])
    assert titles == ["Lugnare Stortorget", "Tryggare väg till skolan i Norrby"]
    item = next(p for p in everything["items"] if p["id"] == norrby["id"])
    assert set(item) == {"id", "title", "text", "responsible", "responsible_label", "responsible_name",
                         "period_start", "period_end", "areas", "themes", "activities", "published_at"}
    assert item["responsible_label"] == "Polisen"
    assert item["areas"] == [{"code": "norrby", "name": "Norrby"}]
    assert item["themes"] == [{"code": "trafik", "label": "Trafik"}]
    assert str(concern.id) not in str(everything)

    by_code = body(client.get(PUBLIC, params={"area": "centrum"}))
    assert by_code["area"] == {"code": "centrum", "name": "Centrum"}
    assert [p["title"] for p in by_code["items"]] == ["Lugnare Stortorget"]
    by_place = body(client.get(PUBLIC, params={"area": "vid Stortorget"}))  # a place counts as its district
    assert [p["title"] for p in by_place["items"]] == ["Lugnare Stortorget"]
    assert body(client.get(PUBLIC, params={"area": "Tallmo"}))["items"] == []
    assert client.get(PUBLIC, params={"area": "Atlantis"}).status_code == 404


def test_follow_up_compares_before_and_after_the_start(db: Session, client: TestClient) -> None:
    load_areas(db)
    viewer = login(client, db, "viewer")
    # before the start (2026-04-01): 4 on trafik in Norrby; after: 2 (plus noise in other areas and themes)
    for day in (5, 10, 15, 20):
        make_concern(db, area_code="norrby", themes=["trafik"], created_at=at(2026, 3, day), felt_safety=2)
    for day in (5, 25):
        make_concern(db, area_code="norrby", themes=["trafik", "fysisk_miljo"], created_at=at(2026, 4, day),
                     felt_safety=4)
    make_concern(db, area_code="centrum", themes=["trafik"], created_at=at(2026, 4, 6))
    make_concern(db, area_code="norrby", themes=["narkotika"], created_at=at(2026, 4, 7))
    make_concern(db, area_code="norrby", themes=["trafik"], created_at=at(2026, 4, 8), status="avvisad")
    user = db.scalar(select(StaffUser))
    assert user is not None
    promise = promises.create_promise(session=db, staff=user, data=promises.PromiseData(
        title="Trygg skolväg", text="Fartkontroller", responsible="polis", period_start=date(2026, 4, 1),
        area_codes=["norrbyskolan"], theme_codes=["trafik"]))
    result = promises.follow_up(session=db, promise_id=promise.id, today=date(2026, 4, 30))
    assert result.after is not None and result.before is not None
    assert (result.after.start, result.after.end) == (date(2026, 4, 1), date(2026, 4, 30))
    assert (result.before.start, result.before.end) == (date(2026, 3, 2), date(2026, 3, 31))
    assert (result.total.before, result.total.after, result.total.change_pct) == (4, 2, -50.0)
    assert [(t.code, t.before, t.after) for t in result.themes] == [("trafik", 4, 2)]
    assert (result.felt_safety_before, result.felt_safety_after) == (2.0, 4.0)
    assert sum(m["count"] for m in result.months if m["side"] == "after") == 2
    response = body(client.get(f"{URL}/{promise.id}/follow-up", headers=viewer))
    assert response["after"]["start"] == "2026-04-01" and response["linked_concerns"] == 0

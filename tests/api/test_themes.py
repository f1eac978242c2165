"""Themes on ingest (model), from the resident, corrected by staff; the taxonomy; POST /api/v1/classify."""

from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.classifier.data import THEMES_JSON, load_theme_codes
from api.core import messages
from api.core.config import Settings, get_settings
from api.models import ConcernTheme
from api.theme_service import classify, load_classifier
from tests.factories import concern_payload, make_staff_user

CONCERNS = "/api/v1/concerns"


@pytest.fixture(scope="session")
def theme_model_dir() -> Path:
    """The project's own theme model, built by `make setup` from nlu_data/themes/."""
    model_dir = Path(__file__).resolve().parents[2] / "models" / "themes"
    if not (model_dir / "meta.json").exists():
        pytest.fail("models/themes is missing: run `make setup` (make test does)")
    return model_dir


@pytest.fixture
def themed_client(client: TestClient, settings: Settings, theme_model_dir: Path) -> Iterator[TestClient]:
    patched = settings.model_copy(update={"theme_model_dir": str(theme_model_dir)})
    client.app.dependency_overrides[get_settings] = lambda: patched  # type: ignore[attr-defined]
    yield client
    load_classifier.cache_clear()


def _login(client: TestClient, db: Session, role: str) -> dict[str, str]:
    make_staff_user(db, username=role, password="ett-långt-lösenord", role=role)
    token = client.post("/api/v1/auth/token", data={"username": role, "password": "ett-långt-lösenord"})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_the_default_taxonomy_is_seeded_by_the_migration(themed_client: TestClient, db: Session) -> None:
    themes = themed_client.get("/api/v1/themes", headers=_login(themed_client, db, "viewer")).json()
    codes = {theme["code"] for theme in themes}
    assert len(codes) == 14 and {"narkotika", "trafik", "fysisk_miljo", "ovrigt"} <= codes
    assert all(theme["label"] and theme["active"] for theme in themes)


def test_every_stored_concern_gets_model_themes_with_scores_and_version(
    themed_client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    payload = concern_payload(description="Mopederna kör som galningar på gångvägen vid skolan varje kväll")
    body = themed_client.post(CONCERNS, json=payload, headers=service_headers).json()
    assert body["themes"], body
    assert body["themes"][0]["code"] == "trafik"
    assert all(t["source"] == "model" and 0 <= t["score"] <= 1 and t["model_version"] for t in body["themes"])


def test_resident_themes_win_over_the_model(
    themed_client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    payload = concern_payload(description="Det är mörkt i gångtunneln", resident_themes=["fysisk_miljo"])
    body = themed_client.post(CONCERNS, json=payload, headers=service_headers).json()
    assert [(t["code"], t["source"]) for t in body["themes"]] == [("fysisk_miljo", "resident")]
    sources = {row.source for row in db.scalars(select(ConcernTheme))}
    assert sources == {"model", "resident"}


def test_unknown_resident_theme_is_refused_and_nothing_is_stored(
    themed_client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    response = themed_client.post(
        CONCERNS, json=concern_payload(resident_themes=["ufo"]), headers=service_headers
    )
    assert response.status_code == 422
    assert response.json()["detail"] == messages.UNKNOWN_THEMES.format(codes="ufo")


def test_staff_correct_themes_and_who_is_recorded(
    themed_client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    concern = themed_client.post(CONCERNS, json=concern_payload(), headers=service_headers).json()
    url = f"{CONCERNS}/{concern['id']}/themes"
    viewer = _login(themed_client, db, "viewer")
    assert themed_client.put(url, json={"themes": ["narkotika"]}, headers=viewer).status_code == 403
    analyst = _login(themed_client, db, "analyst")
    body = themed_client.put(url, json={"themes": ["narkotika", "fysisk_miljo"]}, headers=analyst).json()
    assert [(t["code"], t["source"]) for t in body["themes"]] == [("narkotika", "staff"), ("fysisk_miljo", "staff")]
    staff_rows = db.scalars(select(ConcernTheme).where(ConcernTheme.source == "staff")).all()
    assert {row.staff_user_id for row in staff_rows} != {None}
    assert all(row.created_at is not None for row in staff_rows)
    assert themed_client.get(f"{CONCERNS}/{concern['id']}", headers=viewer).json()["themes"] == body["themes"]


def test_correcting_an_unknown_concern_is_404(themed_client: TestClient, db: Session) -> None:
    analyst = _login(themed_client, db, "analyst")
    url = f"{CONCERNS}/00000000-0000-0000-0000-000000000000/themes"
    assert themed_client.put(url, json={"themes": ["trafik"]}, headers=analyst).status_code == 404


def test_classify_for_the_action_server_and_staff(
    themed_client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    text = "Det luktar hasch i trappuppgången och folk langar utanför porten"
    body = themed_client.post("/api/v1/classify", json={"text": text}, headers=service_headers).json()
    assert body["themes"][0] == "narkotika"
    assert set(body["scores"]) == set(load_theme_codes(THEMES_JSON))
    assert set(body["evidence"]) == set(body["themes"])
    assert set(body["evidence"]["narkotika"]) & {"hasch", "langar", "luktar"}
    staff = _login(themed_client, db, "viewer")
    assert themed_client.post("/api/v1/classify", json={"text": text}, headers=staff).status_code == 200
    assert themed_client.post("/api/v1/classify", json={"text": text}).status_code == 401


def test_themes_only_and_one_prediction_per_text(
    themed_client: TestClient, theme_model_dir: Path, service_headers: dict[str, str]
) -> None:
    text = "Mopederna kör som galningar på gångvägen och lamporna i tunneln är trasiga"
    full = themed_client.post("/api/v1/classify", json={"text": text}, headers=service_headers).json()
    themes_only = themed_client.post(
        "/api/v1/classify", json={"text": text, "evidence": False}, headers=service_headers
    ).json()
    assert themes_only["evidence"] == {}
    assert (themes_only["themes"], themes_only["scores"]) == (full["themes"], full["scores"])
    # The second ask for the same text (the concern being stored after the bot read it back) is not predicted
    # again, and what it hands out is a copy: changing it changes nothing for the next caller.
    classifier = load_classifier(str(theme_model_dir))
    assert classifier is not None
    with patch.object(type(classifier), "predict", side_effect=AssertionError("predicted twice")):
        [prediction], _ = classify(str(theme_model_dir), [text])
        prediction.themes.clear()
        [again], _ = classify(str(theme_model_dir), [text])
    assert again.themes == full["themes"]

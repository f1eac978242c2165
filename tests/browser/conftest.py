"""Browser tests of the staff tool and the public promises page.

The API alone (no Rasa) runs under uvicorn on a free loopback port against a temporary SQLite database that the
migrations built; users and concerns are written straight into that database. Tests make their own concerns
(`add_concern`) so they do not depend on each other's changes.
"""

import os
import secrets
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from tests.browser_support import browser, page  # noqa: F401
from tests.servers import ROOT, free_port, stop, wait_for

PASSWORD = "ett-långt-testlösenord"
AREAS_FILE = ROOT / "api" / "seed_data" / "exempelstad_areas.json"
USERS = {"admin": "admin-anna", "analyst": "analytiker-ali", "viewer": "lasare-lisa"}

# The secrets must be in the environment before api.* reads the settings in this process.
_SECRETS = {
    "SECRET_KEY": secrets.token_urlsafe(48),
    "SERVICE_TOKEN": secrets.token_urlsafe(48),
    "CONVERSATION_HASH_SALT": secrets.token_urlsafe(48),
}
os.environ.update(ENVIRONMENT="test", **_SECRETS)


@dataclass
class Server:
    url: str
    database_url: str
    sessions: sessionmaker[Session]
    logs: Path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from api.crud import create_staff_user
    from api.db import make_engine
    from api.migrate import upgrade
    from api.staff.areas import import_areas_file

    workdir = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{workdir / 'staff.db'}"
    upgrade(database_url)
    engine = make_engine(database_url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    with sessions() as session:
        for role, username in USERS.items():
            create_staff_user(session=session, username=username, password=PASSWORD, role=role)
        import_areas_file(session=session, path=AREAS_FILE)
    port = free_port()
    env = {
        **os.environ,
        **_SECRETS,
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "API_PORT": str(port),
        # Tests write their concerns' themes themselves; loading the classifier would only slow the start.
        "THEME_MODEL_DIR": str(workdir / "no-model"),
    }
    log_path = workdir / "api.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/uvicorn"), "api.main:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process, 90, log_path)
        yield Server(url=f"http://127.0.0.1:{port}", database_url=database_url, sessions=sessions, logs=log_path)
    finally:
        stop([process])
        engine.dispose()


@pytest.fixture
def console_errors(page: Page) -> list[str]:  # noqa: F811
    """Errors the page logs (a CSP violation or a failing script shows up here)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def make_concern(server: Server, description: str, *, themes: dict[str, float] | None = None,
                 area_code: str | None = "centrum", days_ago: int = 3, channel: str = "web",
                 felt_safety: int | None = 2, **fields: object) -> uuid.UUID:
    """Store a concern with model themes directly in the server's database; returns its id."""
    from api.models import Concern, ConcernTheme

    concern = Concern(
        created_at=datetime.now(UTC) - timedelta(days=days_ago),
        channel=channel,
        description=description,
        place=fields.pop("place", "Stationsgatan"),
        area_code=area_code,
        time_of_day=fields.pop("time_of_day", "kvall"),
        weekday=fields.pop("weekday", "helger"),
        frequency=fields.pop("frequency", "varje_vecka"),
        felt_safety=felt_safety,
        consent=True,
        idempotency_key=f"browser-{uuid.uuid4().hex}",
        conversation_hash=uuid.uuid4().hex,
        **fields,
    )
    concern.theme_assignments = [
        ConcernTheme(theme_code=code, source="model", score=score, model_version="test")
        for code, score in (themes or {"fysisk_miljo": 0.91}).items()
    ]
    with server.sessions() as session:
        session.add(concern)
        session.commit()
        return concern.id


@pytest.fixture
def add_concern(server: Server) -> Callable[..., uuid.UUID]:
    """`add_concern(description, themes=..., area_code=..., days_ago=..., **fields)` → the new concern's id."""
    return lambda description, **kwargs: make_concern(server, description, **kwargs)


def log_in(page: Page, server: Server, role: str) -> None:  # noqa: F811
    """Log in through the form as the test user with this role."""
    page.goto(f"{server.url}/staff/login")
    page.get_by_label("Användarnamn").fill(USERS[role])
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


@pytest.fixture
def as_analyst(page: Page, server: Server) -> Page:  # noqa: F811
    log_in(page, server, "analyst")
    return page


@pytest.fixture
def as_admin(page: Page, server: Server) -> Page:  # noqa: F811
    log_in(page, server, "admin")
    return page


@pytest.fixture
def as_viewer(page: Page, server: Server) -> Page:  # noqa: F811
    log_in(page, server, "viewer")
    return page

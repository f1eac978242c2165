"""API test fixtures: a migrated database per backend (SQLite file and the real PostgreSQL), a client, factories.

Every test that takes `client` or `db` runs twice, once per backend. The schema is built by the Alembic
migrations, never by `create_all`, so the migrations are tested too.
"""

import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# The settings refuse to load without secrets; give the tests their own before anything imports them.
os.environ.update(
    ENVIRONMENT="test",
    SECRET_KEY=secrets.token_urlsafe(48),
    SERVICE_TOKEN=secrets.token_urlsafe(48),
    CONVERSATION_HASH_SALT=secrets.token_urlsafe(48),
)

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Engine, create_engine, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from api.core.config import Settings, get_settings  # noqa: E402
from api.db import get_db, make_engine  # noqa: E402
from api.main import create_app  # noqa: E402
from api.migrate import upgrade  # noqa: E402
from api.models import Base  # noqa: E402

SEEDED_TABLES = {"theme"}
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def _postgres_database() -> Iterator[str]:
    """A fresh database on the real PostgreSQL server, dropped afterwards."""
    name = f"trygg_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'trygg.db'}"
        upgrade(url)
        yield url
    else:
        with _postgres_database() as url:
            upgrade(url)
            yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return get_settings().model_copy(update={"database_url": database_url})


@pytest.fixture(scope="session")
def seeded_rows(engine: Engine) -> dict[str, list[dict[str, object]]]:
    """The rows the migrations seed, as they were before any test ran."""
    with engine.connect() as connection:
        return {
            name: [dict(row._mapping) for row in connection.execute(Base.metadata.tables[name].select())]
            for name in SEEDED_TABLES
        }


@pytest.fixture
def db(engine: Engine, seeded_rows: dict[str, list[dict[str, object]]]) -> Iterator[Session]:
    """A session on the test database; afterwards every table is emptied and the seed data put back as migrated
    (tests that add, rename or retire themes — schemathesis among them — must not change what the next one sees)."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        yield session
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # the audit trail is append-only except for a deliberate purge
            connection.execute(text("SET LOCAL trygg.audit_purge = 'on'"))
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if seeded_rows.get(table.name):
                connection.execute(table.insert(), seeded_rows[table.name])


@pytest.fixture
def client(db: Session, engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app()
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    def _db() -> Iterator[Session]:
        with factory() as session:
            yield session

    app.dependency_overrides[get_db] = _db
    app.dependency_overrides[get_settings] = lambda: settings
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def service_headers(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.service_token.get_secret_value()}"}


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]

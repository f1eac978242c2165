"""`trygg`: the operator's command line (installed in the API environment as .venv/bin/trygg)."""

import sys
from typing import Annotated

import typer
from sqlalchemy.exc import IntegrityError

from api.core.config import get_settings

app = typer.Typer(help="Trygghetsdialog: drift och administration.", no_args_is_help=True)

MIN_PASSWORD_LENGTH = 12


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic upgrade head)."""
    from api.migrate import upgrade

    upgrade(get_settings().database_url)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: API_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Default: API_PORT")] = None,
    workers: Annotated[int, typer.Option(help="Uvicorn worker processes")] = 1,
) -> None:
    """Migrate the database, then serve the API."""
    import uvicorn

    from api.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
    )


@app.command("create-user")
def create_user(
    username: Annotated[str, typer.Option(help="Login name")],
    role: Annotated[str, typer.Option(help="admin, analyst or viewer")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 12 characters")
    ],
) -> None:
    """Create a staff user (the password is stored as an argon2 hash)."""
    from api.crud import ROLES, create_staff_user
    from api.db import get_sessionmaker

    if role not in ROLES:
        raise typer.BadParameter(f"must be one of {', '.join(ROLES)}", param_hint="--role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise typer.BadParameter(f"must be at least {MIN_PASSWORD_LENGTH} characters", param_hint="--password")
    with get_sessionmaker()() as session:
        try:
            create_staff_user(session=session, username=username, password=password, role=role)
        except IntegrityError:
            typer.echo(f"A user named {username!r} already exists.", err=True)
            raise typer.Exit(code=1) from None
    typer.echo(f"Created {role} {username!r}.")


@app.command()
def redact() -> None:
    """Scrub personal data: JSON Lines {"text": ...} on stdin, one {"text", "found"} line per input on stdout."""
    from api.privacy.redact import redact_jsonl

    for line in redact_jsonl(sys.stdin):
        sys.stdout.write(line + "\n")


if __name__ == "__main__":
    app()

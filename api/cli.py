"""`trygg`: the operator's command line (installed in the API environment as .venv/bin/trygg)."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import IntegrityError

from api.core.config import get_settings

app = typer.Typer(help="Trygghetsdialog: drift och administration.", no_args_is_help=True)

MIN_PASSWORD_LENGTH = 12
WORKER_HEALTHCHECK_SECONDS = 60


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
        # With --workers, uvicorn kills a worker that does not answer its health ping in time (default 5 s); a
        # worker still importing and loading the theme model on a busy machine is slow, not hung.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
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


@app.command()
def purge(
    older_than: Annotated[
        str | None, typer.Option(help="Age such as 24m, 2y or 90d. Default: RETENTION_MONTHS months")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Only count what would be deleted")] = False,
) -> None:
    """Delete concerns older than the retention period, with their themes, notes, links and audit events."""
    from api.db import get_engine
    from api.retention import cutoff_for, purge_concerns

    settings = get_settings()
    try:
        cutoff = cutoff_for(older_than or f"{settings.retention_months}m")
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--older-than") from None
    count = purge_concerns(get_engine(), older_than=cutoff, dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    typer.echo(f"{verb} {count} concern(s) created before {cutoff:%Y-%m-%d %H:%M} UTC.")


@app.command()
def classify(
    explain: Annotated[bool, typer.Option(help="Also give the words behind each theme ('evidence')")] = False,
) -> None:
    """Themes of texts: JSON Lines {"text": ...} on stdin, one {"text", "themes", "scores"} line per input."""
    from api.theme_service import ClassifierUnavailable
    from api.theme_service import classify as classify_texts
    from api.theme_service import explain as explain_themes

    settings = get_settings()
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            text = json.loads(line)["text"]
            if not isinstance(text, str) or not text.strip():
                raise ValueError("'text' must be a non-empty string")
            [prediction], _ = classify_texts(settings.theme_model_dir, [text])
        except ClassifierUnavailable:
            typer.echo(f"No theme model in {settings.theme_model_dir}: run `make setup`.", err=True)
            raise typer.Exit(code=1) from None
        except (ValueError, KeyError, TypeError) as error:
            out = {"error": f"line {number}: {error}"}
        else:
            scores = {code: round(score, 4) for code, score in prediction.scores.items()}
            out = {"text": text, "themes": prediction.themes, "scores": scores}
            if explain:
                out["evidence"] = explain_themes(settings.theme_model_dir, text, prediction.themes)
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


@app.command("train-themes")
def train_themes(
    out: Annotated[str | None, typer.Option(help="Default: THEME_MODEL_DIR")] = None,
) -> None:
    """Train the theme classifier from nlu_data/themes/ (fixed seed) into THEME_MODEL_DIR."""
    from api.classifier.train import main as train_main

    train_main(["--out", out or get_settings().theme_model_dir])


@app.command("classify-pending")
def classify_pending(batch: int = 500) -> None:
    """Give model themes to stored concerns that have none (e.g. stored before the model existed)."""
    from api.crud import add_model_themes, unclassified_concerns
    from api.db import get_sessionmaker

    settings = get_settings()
    done = 0
    with get_sessionmaker()() as session:
        while concerns := unclassified_concerns(session=session, limit=batch):
            added = [add_model_themes(session=session, concern=c, theme_model_dir=settings.theme_model_dir)
                     for c in concerns]
            if not any(added):
                break
            done += len(concerns)
    typer.echo(f"Classified {done} concern(s).")


@app.command("export-training")
def export_training(
    out: Annotated[str, typer.Option(help="Folder for the exported <theme>.yml files")] = "exported_themes",
) -> None:
    """Export staff-corrected concerns (already scrubbed) as theme training examples for review."""
    from api.db import get_sessionmaker
    from api.training_export import export_staff_corrections

    with get_sessionmaker()() as session:
        counts = export_staff_corrections(session=session, out_dir=Path(out))
    for code, count in sorted(counts.items()):
        typer.echo(f"{out}/{code}.yml: {count} example(s)")


@app.command("import-areas")
def import_areas_command(
    file: Annotated[Path, typer.Argument(help="Areas JSON (format: api/seed_data/exempelstad_areas.json)")],
) -> None:
    """Import the municipality's districts and places (with optional GeoJSON polygons); unlisted ones are retired."""
    from api.db import get_sessionmaker
    from api.staff.areas import import_areas_file

    with get_sessionmaker()() as session:
        try:
            counts = import_areas_file(session=session, path=file)
        except ValueError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(code=1) from None
    typer.echo(f"Areas: {counts['created']} new, {counts['updated']} updated, {counts['retired']} retired.")


@app.command("seed-demo")
def seed_demo_command(
    count: Annotated[int, typer.Option(min=1, max=100_000, help="How many demo concerns")] = 2000,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Only when the database has no concerns or promises")]
    = False,
    replace: Annotated[bool, typer.Option("--replace", help="Remove earlier demo data first")] = False,
) -> None:
    """Create clearly marked, fictional demo data for Exempelstad: concerns over 12 months and a few promises."""
    from api.db import get_sessionmaker
    from api.migrate import upgrade
    from api.staff import demo

    settings = get_settings()
    upgrade(settings.database_url)
    with get_sessionmaker()() as session:
        if demo.ensure_areas(session, settings.areas_file):
            typer.echo(f"Imported the areas from {settings.areas_file}.")
        if replace:
            typer.echo(f"Removed {demo.remove_demo(session)} earlier demo concern(s).")
        if if_empty and not demo.database_empty(session):
            typer.echo("The database already has concerns or promises: no demo data added.")
            return
        if not replace and demo.demo_present(session):
            typer.echo("Demo data is already there (use --replace to make it again).")
            return
        made = demo.seed_demo(session=session, areas_file=settings.areas_file, count=count)
    typer.echo(f"Created {made} demo concerns and 3 demo promises (marked as demo data).")


if __name__ == "__main__":
    app()

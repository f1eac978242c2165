"""The FastAPI application: routers under /api/v1, health at /healthz."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import APIRouter, FastAPI

from api import web
from api.core import request_limits
from api.core.config import get_settings
from api.core.headers import ChatCORSMiddleware, SecurityHeadersMiddleware
from api.core.rate_limit import ChatRateLimiter
from api.db import get_engine
from api.retention import purge_periodically
from api.routes import (
    auth,
    chat,
    concerns,
    health,
    pages,
    public,
    staff_admin,
    staff_concerns,
    staff_lagesbild,
    staff_promises,
    themes,
)
from api.theme_service import load_classifier

API_PREFIX = "/api/v1"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    # Load the theme model before taking requests: the bot's theme suggestion must not wait for it.
    load_classifier(settings.theme_model_dir)
    app.state.chat_limiter = ChatRateLimiter(
        per_session=settings.chat_rate_limit_per_session, per_ip=settings.chat_rate_limit_per_ip,
        redis_url=settings.redis_url,
    )
    # Retention runs in the API process (every worker; see api/retention.py). Tests purge explicitly instead.
    purge = None
    if settings.purge_interval_hours > 0 and settings.environment != "test":
        purge = asyncio.create_task(purge_periodically(
            get_engine(), retention_months=settings.retention_months, interval_hours=settings.purge_interval_hours,
        ))
    async with httpx.AsyncClient(timeout=settings.rasa_timeout_seconds) as client:
        app.state.rasa_client = client
        yield
    if purge is not None:
        purge.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purge


def create_app() -> FastAPI:
    settings = get_settings()  # fail fast on missing secrets, before the server accepts anything
    app = FastAPI(title="Trygghetsdialog API", version="0.1.0", lifespan=lifespan)
    v1 = APIRouter(prefix=API_PREFIX)
    for module in (chat, concerns, themes, auth, staff_concerns, staff_lagesbild, staff_promises, staff_admin, public):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(health.router)
    app.include_router(pages.router)
    web.install(app)  # also serves api/static at /static (the widget, the pages' CSS, vendor libraries)
    request_limits.install(  # 413 for large bodies, JSON 422s
        app, max_body_bytes=settings.max_body_bytes, path_limits={f"{API_PREFIX}/chat": settings.chat_max_body_bytes},
    )
    # Added last = outermost: the headers also go on CORS preflight answers.
    app.add_middleware(ChatCORSMiddleware, origins=settings.cors_origins)
    app.add_middleware(
        SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors,
        production=settings.environment == "production",
    )
    return app

"""The FastAPI application: routers under /api/v1, health at /healthz."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import APIRouter, FastAPI

from api import web
from api.core.config import get_settings
from api.core.headers import ChatCORSMiddleware, SecurityHeadersMiddleware
from api.routes import auth, chat, concerns, health, pages, themes
from api.theme_service import load_classifier

API_PREFIX = "/api/v1"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    # Load the theme model before taking requests: the bot's theme suggestion must not wait for it.
    load_classifier(settings.theme_model_dir)
    async with httpx.AsyncClient(timeout=settings.rasa_timeout_seconds) as client:
        app.state.rasa_client = client
        yield


def create_app() -> FastAPI:
    settings = get_settings()  # fail fast on missing secrets, before the server accepts anything
    app = FastAPI(title="Trygghetsdialog API", version="0.1.0", lifespan=lifespan)
    v1 = APIRouter(prefix=API_PREFIX)
    for module in (chat, concerns, themes, auth):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(health.router)
    app.include_router(pages.router)
    web.install(app)  # also serves api/static at /static (the widget, the pages' CSS, vendor libraries)
    # Added last = outermost: the headers also go on CORS preflight answers.
    app.add_middleware(ChatCORSMiddleware, origins=settings.cors_origins)
    app.add_middleware(
        SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors,
        production=settings.environment == "production",
    )
    return app

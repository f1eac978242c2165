"""Server-rendered pages: the staff tool under /staff and the public promises page /lofte.

`install(app)` adds the page routers, serves /static and turns the page guards' exceptions into responses
(a redirect to the login form, or an HTML 403 page).
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response

from api.core import messages
from api.web import admin, auth, concerns, exports, lagesbild, promises, public
from api.web.deps import CsrfRefused, LoginRequired, PageForbidden, PageNotFound
from api.web.templating import render

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
PAGE_ROUTERS = (
    auth.router, concerns.router, lagesbild.router, exports.router, promises.router, admin.router, public.router,
)


def install(app: FastAPI) -> None:
    for router in PAGE_ROUTERS:
        app.include_router(router)
    if not any(getattr(route, "path", None) == "/static" for route in app.routes):
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(LoginRequired, _to_login)
    app.add_exception_handler(PageForbidden, _forbidden)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.add_exception_handler(PageNotFound, _not_found)


async def _to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(exc.login_url, status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return render(request, "staff/error.html", status_code=403, heading="Du saknar behörighet",
                  message="Din roll får inte göra detta. Be en administratör om du behöver mer behörighet.")


async def _csrf_refused(request: Request, exc: Exception) -> Response:
    return render(request, "staff/error.html", status_code=403, heading="Formuläret kunde inte skickas",
                  message=messages.CSRF_INVALID)


async def _not_found(request: Request, exc: Exception) -> Response:
    return render(request, "staff/error.html", status_code=404, heading="Sidan finns inte", message=str(exc))

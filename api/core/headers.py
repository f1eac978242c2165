"""Security headers on every response, and CORS for the chat gateway only.

Every page works under a strict Content-Security-Policy: scripts and styles only from files on this origin, no inline
script or style, no third-party requests. Sites that embed the widget (`CORS_ORIGINS`) may call the chat gateway
from the browser without cookies; sites in `FRAME_ANCESTORS` may show this service's pages in a frame.
A route that needs a different policy sets the header itself: the middleware never overwrites one.

FastAPI's /docs and /redoc pages load Swagger UI and ReDoc from a CDN with an inline bootstrap script; they get a
looser policy of their own so the developer documentation keeps working.
"""

from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CHAT_PATH_PREFIX = "/api/v1/chat"
WIDGET_PATH_PREFIX = "/static/widget/"
DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=31536000"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

DOCS_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
    "font-src 'self' https://fonts.gstatic.com",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
])


def content_security_policy(frame_ancestors: list[str]) -> str:
    """The policy of every page but the API docs: same-origin files only, framing only by the allow-list."""
    ancestors = " ".join(frame_ancestors) if frame_ancestors else "'none'"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ])


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, *, frame_ancestors: list[str], production: bool) -> None:
        self.app = app
        self.csp = content_security_policy(frame_ancestors)
        self.frameable = bool(frame_ancestors)
        self.production = production

    def _headers_for(self, scope: Scope) -> dict[str, str]:
        path: str = scope["path"]
        headers = {
            "Content-Security-Policy": DOCS_CSP if path in DOCS_PATHS else self.csp,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Permissions-Policy": PERMISSIONS_POLICY,
            "Cross-Origin-Opener-Policy": "same-origin",
            # The widget's files are loaded by the municipality's pages on other origins.
            "Cross-Origin-Resource-Policy": "cross-origin" if path.startswith(WIDGET_PATH_PREFIX) else "same-origin",
        }
        if not self.frameable:
            headers["X-Frame-Options"] = "DENY"  # for browsers that ignore frame-ancestors
        # HSTS only means something over TLS: behind a TLS proxy (scheme from X-Forwarded-Proto) or in production.
        if scope.get("scheme") == "https" or self.production:
            headers["Strict-Transport-Security"] = HSTS
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self._headers_for(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ChatCORSMiddleware:
    """CORS for the chat gateway only: the widget's host sites may call it, without cookies or other headers.

    Staff endpoints get no CORS at all, so a bearer token can never be used from another origin's page.
    """

    def __init__(self, app: ASGIApp, *, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app, allow_origins=origins, allow_methods=["GET", "POST"], allow_headers=["Content-Type"],
            allow_credentials=False, max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(CHAT_PATH_PREFIX):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)

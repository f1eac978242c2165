"""rasa_sdk's plugin hook (it imports a package of exactly this name): only Rasa may call the action server.

rasa_sdk checks no credentials on `/webhook`, and every call carries the whole conversation. Rasa sends
`X-Action-Token: $ACTION_SERVER_TOKEN` (bot/endpoints.yml); this middleware refuses calls without it (401) and
calls from outside the machine (403). `/health` stays open for readiness probes; it reveals nothing. Errors are
answered and logged without the request, which holds the conversation.
"""

import hmac
import ipaddress
import logging
import sys

import pluggy
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.config import get_settings

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-Action-Token"  # noqa: S105 - a header name
OPEN_PATHS = ("/health",)


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Called by rasa_sdk.plugin when the action server starts."""
    manager.register(sys.modules[__name__])


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def caller_refusal(path: str, peer: str, token: str | None, expected: str) -> tuple[int, str] | None:
    """Why a call must be refused (status, message), or None when it may pass."""
    if path in OPEN_PATHS:
        return None
    if not _is_loopback(peer):
        return 403, "the action server only answers the Rasa server on this machine"
    if not expected or not hmac.compare_digest((token or "").encode(), expected.encode()):
        return 401, f"missing or wrong {TOKEN_HEADER}"
    return None


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    """Refuse every call that does not come from Rasa on loopback with the shared token."""
    expected = get_settings().action_server_token.get_secret_value()
    if not expected:
        logger.error("ACTION_SERVER_TOKEN is not set: the action server will refuse every call (see .env.example)")

    @app.exception(Exception)
    async def error_without_payload(request: Request, exception: Exception) -> HTTPResponse:
        # rasa_sdk's own handler answers with the whole request (the conversation, the resident's words) and Rasa
        # logs that answer; this one logs and answers only where and what kind of error it was.
        frame = exception.__traceback__
        while frame is not None and frame.tb_next is not None:
            frame = frame.tb_next
        where = f"{frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}" if frame else "?"
        logger.error("action server error on %s: %s at %s", request.path, type(exception).__name__, where)
        return response.json({"error": f"{type(exception).__name__} in the action server"}, status=500)

    @app.middleware("request")
    async def only_rasa(request: Request) -> HTTPResponse | None:
        refusal = caller_refusal(request.path, request.ip, request.headers.get(TOKEN_HEADER), expected)
        if refusal is None:
            return None
        status, message = refusal
        return response.json({"error": message}, status=status)

"""Limits and error shapes for every request: a cap on the body size, JSON validation errors that say clearly
what is wrong without echoing what was sent (a resident's text could be in it), and 422 instead of 500 for values
out of the database's range."""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.core import messages


class BodySizeLimitMiddleware:
    """Answer 413 (JSON) to any request body larger than its limit, before the application reads it.

    The limit is `max_bytes`, or the one of the first `path_limits` prefix the path starts with (the public chat
    gateway gets a much smaller one than staff imports). A declared Content-Length is checked up front; a
    chunked body is read up to the limit and then handed on.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, path_limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = path_limits or {}

    def limit_for(self, path: str) -> int:
        return next((limit for prefix, limit in self.path_limits.items() if path.startswith(prefix)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > limit:
                await self._too_large(scope, receive, send, limit)
                return
            await self.app(scope, receive, send)
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        # No length given: buffer up to the limit, then replay the body to the application.
        chunks: list[Message] = []
        size = 0
        while True:
            message = await receive()
            chunks.append(message)
            size += len(message.get("body", b""))
            if size > limit:
                await self._too_large(scope, receive, send, limit)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = JSONResponse(
            {"detail": messages.BODY_TOO_LARGE.format(limit=limit)},
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


class RejectNulMiddleware:
    """Answer 422 to a NUL character in the path or query string: PostgreSQL text cannot hold it, and an export
    that streams its rows would otherwise fail after its answer has begun."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = bytes(scope.get("raw_path") or b"") + b"?" + bytes(scope.get("query_string") or b"")
            if b"%00" in raw or b"\x00" in raw:
                response = JSONResponse(
                    {"detail": messages.VALUE_OUT_OF_RANGE}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _field(location: Sequence[Any]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or str(location[0] if location else "body")


async def validation_error_handler(_request: Request, error: Exception) -> JSONResponse:
    """422 with FastAPI's usual `detail` list (minus the submitted values) and a one-line `message`."""
    assert isinstance(error, RequestValidationError)  # noqa: S101 - registered for this type only
    details = [
        {key: value for key, value in item.items() if key not in ("input", "ctx", "url")}
        for item in error.errors()
    ]
    summary = "; ".join(f"{_field(item.get('loc', ()))}: {item.get('msg', '')}" for item in details)
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content=jsonable_encoder({"detail": details, "message": messages.INVALID_REQUEST.format(errors=summary)}),
    )


async def out_of_range_handler(_request: Request, _error: Exception) -> JSONResponse:
    """422 for a value the database or the calendar cannot hold (a number past the column's range, a NUL
    character, a date past year 9999): the request was wrong, the server is fine."""
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": messages.VALUE_OUT_OF_RANGE}
    )


def install(app: FastAPI, *, max_body_bytes: int, path_limits: dict[str, int] | None = None) -> None:
    """Add the body size cap and the validation error shape to `app`."""
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(DataError, out_of_range_handler)
    app.add_exception_handler(OverflowError, out_of_range_handler)
    app.add_middleware(RejectNulMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes, path_limits=path_limits)

"""One JSON shape for every error that reaches HTTP: ``{"error": {"status", "type", "message"}}``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from graph.errors import PankgError


def error_response(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "type": kind, "message": message}}, status_code=status)


async def pankg_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Render a :class:`PankgError` (never a traceback); one that says when to retry (a full server) sets
    ``Retry-After``."""
    assert isinstance(exc, PankgError)
    response = error_response(exc.status, type(exc).__name__, str(exc))
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response

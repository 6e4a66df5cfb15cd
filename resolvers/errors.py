"""One JSON shape for every error that reaches HTTP: ``{"error": {"status", "type", "message"}}``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from graph.errors import PankgError


def error_response(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "type": kind, "message": message}}, status_code=status)


async def pankg_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Render a :class:`PankgError` (never a traceback)."""
    assert isinstance(exc, PankgError)
    return error_response(exc.status, type(exc).__name__, str(exc))

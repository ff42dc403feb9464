"""What every router shares: the error responses, bounded ids (roles: dossier.roles.require_any_role)."""
from ninja import Field, Path, Schema

from ..errors import ApiError

MAX_ID = 10**18 - 1  # as dossier.converters: a larger id is a 404, never an overflow in the database


class ErrorOut(Schema):
    code: str = Field(description="Stable, for programs: e.g. not_found, invalid, scope_missing.")
    message: str = Field(description="For people.")
    field: str | None = Field(None, description="The parameter or body field at fault, if one is.")


ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 422, 429)}


def responses(ok, status=200):
    """An operation's responses: its own and every error (so the schema is true of whatever it answers)."""
    return {status: ok, **ERRORS}


def Id(description="An id."):  # noqa: N802 (a parameter type, read like one)
    return Path(..., ge=1, le=MAX_ID, description=description)


def bad(message, field=None, status=422, code=None):
    return ApiError(status, message, code=code, field=field)

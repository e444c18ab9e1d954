"""The error answers each operation can give, for the OpenAPI schema."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

_detail = inline_serializer("ErrorDetail", fields={"detail": serializers.CharField()})

INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid parameters or data: an object with a list of messages for each field at fault.",
)
UNAUTHENTICATED = OpenApiResponse(_detail, description="No valid credentials (token or session).")
FORBIDDEN = OpenApiResponse(_detail, description="The account lacks the model permission needed.")
NOT_FOUND = OpenApiResponse(_detail, description="No such object, or no such page of the list.")
THROTTLED = OpenApiResponse(_detail, description="Too many anonymous requests; see the Retry-After header.")
MOVED = OpenApiResponse(description="The entry was merged into another; Location names the survivor.")


def allow_empty_query_parameters(result, generator, request, public):
    """Postprocessing hook: every list treats an empty query parameter as absent, and says so."""
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    parameter["allowEmptyValue"] = True
    return result


def public_reads_without_lock(result, generator, request, public):
    """Postprocessing hook: reading needs no credentials, so GET operations list none and Swagger UI shows no
    lock on them; writes keep theirs. Editors still send their token to list drafts (`?status=draft`)."""
    for operations in result["paths"].values():
        for method, operation in operations.items():
            if method in ("get", "head"):
                operation.pop("security", None)
    return result


def list_responses(output) -> dict:
    return {200: output, 400: INVALID, 404: NOT_FOUND, 429: THROTTLED}


def detail_responses(output, *, may_move: bool = False) -> dict:
    responses = {200: output, 404: NOT_FOUND, 429: THROTTLED}
    return responses | {301: MOVED} if may_move else responses


def write_responses(output, code: int = 200) -> dict:
    responses = {code: output, 400: INVALID, 401: UNAUTHENTICATED, 403: FORBIDDEN}
    return responses if code == 201 else responses | {404: NOT_FOUND}

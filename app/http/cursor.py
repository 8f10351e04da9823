"""Search cursors: the whole next-page request, as an opaque URL-safe token."""

from __future__ import annotations

import base64
import binascii

import orjson

from app.http.body import ValidationError
from kernel.t_api import SearchClass, SearchPromisesRequest

_INVALID = "The field cursor is invalid."


def encode_cursor(next_page: SearchPromisesRequest) -> str:
    payload = {
        "id": next_page.id,
        "class": next_page.search_class.value,
        "tags": next_page.tags,
        "limit": next_page.limit,
        "sortId": next_page.before_sort_id,
    }
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def decode_cursor(token: str) -> SearchPromisesRequest:
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        request = SearchPromisesRequest(
            id=payload["id"],
            search_class=SearchClass(payload["class"]),
            tags=payload["tags"],
            limit=payload["limit"],
            before_sort_id=payload["sortId"],
        )
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise ValidationError(_INVALID) from None
    valid = (
        isinstance(request.id, str)
        and request.id != ""
        and isinstance(request.tags, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in request.tags.items())
        and type(request.limit) is int
        and 1 <= request.limit <= 100
        and type(request.before_sort_id) is int
    )
    if not valid:
        raise ValidationError(_INVALID)
    return request

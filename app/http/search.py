"""Query parameters shared by the search routes: id glob, tags[k]=v, limit."""

from __future__ import annotations

from flask import request

from app.http.limits import check_string, check_tags
from app.http.validation import ValidationError

MAX_LIMIT = 100


def search_id() -> str:
    promise_id = request.args.get("id", "")
    if promise_id == "":
        raise ValidationError("The field id is required.")
    return check_string("id", promise_id)


def search_limit() -> int:
    """0 to 100; absent or 0 means 100."""
    text = request.args.get("limit", "")
    if text == "":
        return MAX_LIMIT
    try:
        limit = int(text)
    except ValueError:
        raise ValidationError("The field limit must be a number.") from None
    if not 0 <= limit <= MAX_LIMIT:
        raise ValidationError(f"The field limit must be between 0 and {MAX_LIMIT}.")
    return limit or MAX_LIMIT


def tag_filters() -> dict[str, str]:
    """`tags[key]=value` query parameters."""
    tags = {
        name[5:-1]: value for name, value in request.args.items() if name.startswith("tags[") and name.endswith("]")
    }
    check_tags("tags", tags)
    return tags

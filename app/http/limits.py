"""Size limits on what a request may carry, checked at the edge.

Ids, keys and tags are stored and indexed, and come back in every read and search;
these bounds keep one client from storing megabytes in a field meant for a name.
The body as a whole is bounded by RESONATE_MAX_BODY_SIZE (413).
"""

from __future__ import annotations

from collections.abc import Mapping

from app.http.validation import ValidationError

MAX_STRING = 4096  # ids, keys, process ids, cron, templates, descriptions (characters)
MAX_TAGS = 100  # tags on one promise or schedule, or filters in one search
MAX_TAG_KEY = 256
MAX_TAG_VALUE = 4096
MAX_RECV = 4096  # a receiver's JSON text


def check_string(name: str, value: str, limit: int = MAX_STRING) -> str:
    if len(value) > limit:
        raise ValidationError(f"The field {name} must be at most {limit} characters long, not {len(value)}.")
    return value


def check_tags(name: str, tags: Mapping[str, str]) -> Mapping[str, str]:
    if len(tags) > MAX_TAGS:
        raise ValidationError(f"The field {name} may hold at most {MAX_TAGS} tags, not {len(tags)}.")
    for key, value in tags.items():
        check_string(f"{name} key", key, MAX_TAG_KEY)
        check_string(f"{name}.{key[:40]}", value, MAX_TAG_VALUE)
    return tags

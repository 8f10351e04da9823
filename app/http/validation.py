"""The error every request check raises: a 400 listing what is wrong."""

from __future__ import annotations


class ValidationError(Exception):
    """A request the server cannot accept: one message per problem."""

    def __init__(self, *details: str) -> None:
        super().__init__("; ".join(details))
        self.details = list(details)

"""The store-command contract: every binding's script compiles, and its Python side
fills exactly the arguments the script is given names for."""

from __future__ import annotations

import dataclasses
import sys
import typing

import pytest

from aio.store.redis_store import BINDINGS, RedisStore

LUA_KEYWORDS = {
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
}  # fmt: skip


def test_every_script_compiles(store: RedisStore) -> None:
    for script in store._scripts.values():
        assert store.client.script_load(script.source) == script.sha, script.name


def command_name(command_type: type) -> str:
    return f"{command_type.__module__.rpartition('.')[2]}.{command_type.__name__}"


@pytest.mark.parametrize("command_type", list(BINDINGS), ids=command_name)
def test_a_binding_fills_exactly_its_named_arguments(command_type: type) -> None:
    binding = BINDINGS[command_type]
    assert not set(binding.arg_names) & LUA_KEYWORDS
    assert len(set(binding.arg_names)) == len(binding.arg_names)
    assert set(binding.args(sample(command_type))) == set(binding.arg_names)


def sample(command_type: type) -> object:
    """A command with placeholder values of the right types."""
    hints = typing.get_type_hints(command_type, vars(sys.modules[command_type.__module__]))
    values = {}
    for field in dataclasses.fields(command_type):
        values[field.name] = placeholder(hints[field.name])
    return command_type(**values)


def placeholder(hint: object) -> object:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return placeholder(next(a for a in typing.get_args(hint) if a is not type(None)))
    if hint is int:
        return 1
    if hint is str:
        return "x"
    if hint is bool:
        return True
    if origin is dict or hint is dict:
        return {}
    if origin is tuple:
        return ()
    if isinstance(hint, type) and issubclass(hint, __import__("enum").Enum):
        return next(iter(hint))
    if dataclasses.is_dataclass(hint):
        return sample(hint)  # type: ignore[arg-type]
    return "x"

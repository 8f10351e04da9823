"""The contract between a store command and its Lua script, stated once.

A Binding names the script, the names of its arguments, how a command becomes those
arguments and how the script's reply becomes a typed result. The script loader turns
the names into Lua locals in front of the script, so no positional list spans two
files: Python fills arguments by name and Lua reads them by the same names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Binding:
    script: str
    arg_names: tuple[str, ...]
    args: Callable[[Any], dict[str, Any]]
    result: Callable[[Any, Any], Any]

    def argv(self, command: Any) -> list[Any]:
        values = self.args(command)
        return [values[name] for name in self.arg_names]

    def lua_header(self) -> str:
        """`local a, b = ARGV[1], ARGV[2]` for this script's argument names."""
        if not self.arg_names:
            return ""
        names = ", ".join(self.arg_names)
        values = ", ".join(f"ARGV[{i}]" for i in range(1, len(self.arg_names) + 1))
        return f"local {names} = {values}\n"

"""The Lua scripts, each one atomic state change, loaded once per Redis by SHA."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from aio.store.binding import Binding
from aio.store.keys import lua_prelude


@dataclass(frozen=True, slots=True)
class Script:
    name: str
    source: str
    sha: str


def load_scripts(prefix: str, bindings: Iterable[Binding]) -> dict[str, Script]:
    """Every bound script in lua/: key names, common.lua, the prelude of its folder (lua/ for the
    legacy protocol, lua/current/ for the current one) and the binding's argument
    locals in front of the script's own text."""
    root = resources.files("aio.store").joinpath("lua")
    shared = lua_prelude(prefix) + root.joinpath("common.lua").read_text()
    scripts: dict[str, Script] = {}
    for binding in bindings:
        if binding.script in scripts:
            continue
        folder, _, name = binding.script.rpartition("/")
        directory = root.joinpath(folder) if folder else root
        text = directory.joinpath(f"{name}.lua").read_text()
        source = shared + directory.joinpath("prelude.lua").read_text() + binding.lua_header() + text
        scripts[binding.script] = Script(binding.script, source, hashlib.sha1(source.encode()).hexdigest())
    return scripts

"""The Lua scripts, each one atomic state change, loaded once per Redis by SHA."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from aio.store.keys import lua_prelude


@dataclass(frozen=True, slots=True)
class Script:
    name: str
    source: str
    sha: str


def load_scripts(prefix: str) -> dict[str, Script]:
    """Every script in lua/ with the key names and the shared prelude in front."""
    folder = resources.files("aio.store").joinpath("lua")
    shared = lua_prelude(prefix) + folder.joinpath("prelude.lua").read_text()
    scripts: dict[str, Script] = {}
    for entry in folder.iterdir():
        name = entry.name.removesuffix(".lua")
        if not entry.name.endswith(".lua") or name == "prelude":
            continue
        source = shared + entry.read_text()
        scripts[name] = Script(name, source, hashlib.sha1(source.encode()).hexdigest())
    return scripts

"""The HTTP push allow-list: which destinations a setting lets through."""

from __future__ import annotations

import pytest

from aio.sender.allow import AllowList


@pytest.mark.parametrize(
    ("setting", "url", "allowed"),
    [
        ("*", "http://10.0.0.1/x", True),
        ("*", "https://anything.example/x", True),
        ("", "http://example.com/x", False),
        ("example.com", "http://example.com:8080/x", True),
        ("example.com", "http://api.example.com/x", False),
        ("*.example.com", "https://api.example.com/x", True),
        ("*.example.com", "https://example.com/x", False),
        ("*.example.com", "https://evil.com/?h=api.example.com", False),
        ("10.0.0.0/8", "http://10.1.2.3/x", True),
        ("10.0.0.0/8", "http://192.168.0.1/x", False),
        ("10.0.0.0/8", "http://localhost/x", False),  # a name never matches a network
        ("127.0.0.1", "http://127.0.0.1:9000/x", True),
        ("localhost", "http://127.0.0.1/x", False),  # an address never matches a name
        ("::1", "http://[::1]:9000/x", True),
        ("fd00::/8", "http://[fd12::1]/x", True),
        ("Example.COM", "http://EXAMPLE.com/x", True),
        ("a.example.com, 10.0.0.0/8", "http://10.9.9.9/x", True),
    ],
)
def test_allow_list(setting: str, url: str, allowed: bool) -> None:
    assert AllowList.parse(setting).allows(url) is allowed


@pytest.mark.parametrize("setting", ["http://example.com", "exa mple.com", "10.0.0.0/33x", "a..b"])
def test_a_bad_entry_is_refused_with_its_text(setting: str) -> None:
    with pytest.raises(ValueError, match="not a host name"):
        AllowList.parse(setting)

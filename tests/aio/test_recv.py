"""Receiver addresses in every form the legacy clients write, resolved as the Go
server resolves them (group = host, id = path), with `uni` meaning the exact stream."""

from __future__ import annotations

import json

import pytest

from aio.sender.recv import HttpDestination, PollDestination, UnknownRecv, resolve_recv


@pytest.mark.parametrize(
    ("recv", "destination"),
    [
        ("default", PollDestination("default", None)),  # 0.4.x logical name
        ("poll://workers", PollDestination("workers", None)),  # 0.4.x
        ("poll://workers/w1", PollDestination("workers", "w1")),
        ("poll://any@default", PollDestination("default", None)),  # 0.6.x targets
        ("poll://any@default/pid-1", PollDestination("default", "pid-1")),  # 0.6.x anycast
        ("poll://uni@default/pid-1", PollDestination("default", "pid-1", exact=True)),  # 0.6.x unicast
        ("poll://any@g/a/b", PollDestination("g", "a/b")),  # the id is the whole path
        ("http://h:9/inbox", HttpDestination("http://h:9/inbox")),
        ("https://h/inbox", HttpDestination("https://h/inbox")),
        ({"type": "poll", "data": {"group": "g", "id": "w"}}, PollDestination("g", "w")),
        (
            {"type": "http", "data": {"url": "http://h/x", "headers": {"a": "b"}}},
            HttpDestination("http://h/x", {"a": "b"}),
        ),
    ],
)
def test_every_form_resolves(recv: object, destination: object) -> None:
    assert resolve_recv(json.dumps(recv)) == destination


@pytest.mark.parametrize(
    "recv",
    [
        "poll://uni@default",  # unicast to no stream
        "poll://all@default/p",  # neither uni nor any
        "poll://",  # no group
        "poll://any@/p",
        "poll://g/p?x=1",
        "ftp://h/x",
        "",
        5,
        ["poll://g"],
        {"type": "poll", "data": {}},
        {"type": "kafka", "data": {"topic": "t"}},
    ],
)
def test_forms_that_can_never_be_delivered_are_refused(recv: object) -> None:
    with pytest.raises(UnknownRecv):
        resolve_recv(json.dumps(recv))

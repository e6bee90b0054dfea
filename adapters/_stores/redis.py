"""``redis://HOST:PORT/DB`` (``rediss://`` for TLS): idempotency records in Redis.

The claim is one ``SET key value NX PX lease GET``
(https://redis.io/docs/latest/commands/set/, Redis 7.0 or later): it writes only
when the key is absent and returns the existing value when it is not, in one
round trip. Expiry is Redis's own (``PX``): a record whose lease or lifetime
ended is gone, so taking over a crashed claim is an ordinary claim.

Completing and releasing compare the claim's token and write or delete in one
Lua script (``EVALSHA``; https://redis.io/docs/latest/develop/interact/programmability/eval-intro/),
so a claim that was taken over is never overwritten. The value is the 24-hex
token followed by the record's JSON.

Async handlers use ``redis.asyncio`` (part of redis-py), one client per event
loop (``adapters/_stores/_aio.py``), with the same commands.

Options: ``?prefix=`` (default ``idempotency:``); the URL is redis-py's
(``Redis.from_url``: password, db, TLS). redis-py is imported when the store is
first used (extra ``redis``).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from sdk.adapter import IdempotencyRecord, StoreAddress, dumps, loads, option, public_name, require

__all__ = ["RedisStore"]

_TOKEN = 24  # hex characters

_COMPLETE = """
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 24) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
"""

_RELEASE = """
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 24) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisStore:
    """Idempotency records as Redis strings that expire by themselves."""

    def __init__(self, url: str | None = None, *, client: Any = None,
                 async_client: Callable[[], Any] | None = None,
                 prefix: str = "idempotency:", name: str | None = None) -> None:
        """``client``: a redis-py client to use; ``async_client``: makes the
        ``redis.asyncio`` client for each event loop (default: from ``url``)."""
        self.name = name or "redis://"
        self.prefix = prefix
        self._url = url
        self._client = client
        self._ready: tuple[Any, Any, Any] | None = None
        self._lock = threading.Lock()
        self._make_async = async_client
        self._aio: Any = None  # PerLoop, made by the first async call

    @classmethod
    def from_address(cls, address: StoreAddress) -> RedisStore:
        require("redis", "redis", address)
        url = address.text.partition("?")[0]
        return cls(url, prefix=option(address, "prefix", "idempotency:") or "",
                   name=public_name(address))

    def _connect(self) -> tuple[Any, Any, Any]:
        """(client, complete script, release script), built once (the client's
        connection pool is thread-safe); the first call connects and loads the scripts."""
        ready = self._ready
        if ready is None:
            with self._lock:
                if self._ready is None:
                    client = self._client
                    if client is None:
                        import redis

                        client = redis.Redis.from_url(self._url or "redis://localhost:6379/0")
                    scripts = (client.register_script(_COMPLETE),
                               client.register_script(_RELEASE))
                    # Loaded now, once per client, so that neither the first
                    # completion nor the first release pays NOSCRIPT + SCRIPT LOAD.
                    for script in (_COMPLETE, _RELEASE):
                        client.script_load(script)
                    self._ready = (client, *scripts)
                ready = self._ready
        return ready

    @property
    def client(self) -> Any:
        return self._connect()[0]

    def connect(self) -> RedisStore:
        """Import redis-py, connect and load the scripts now (at import time, in the
        init phase), not on the first event."""
        self._connect()
        return self

    def put_if_absent(self, record: IdempotencyRecord, now: float) -> IdempotencyRecord | None:
        client = self._connect()[0]
        token = os.urandom(_TOKEN // 2).hex()
        # Redis counts PX from when it runs the command: measured from now, not from
        # ``now`` (a cold start's first call imports redis and connects in between).
        old = client.set(self.prefix + record.key, token + dumps(record.fields()), nx=True,
                         px=_milliseconds(record.expiry - time.time()), get=True)
        return self._claimed(record, token, old)

    @staticmethod
    def _claimed(record: IdempotencyRecord, token: str, old: Any) -> IdempotencyRecord | None:
        """What SET NX GET answered: nothing (claimed with ``token``), or the record."""
        if old is None:
            record.version = token
            return None
        text = old.decode("utf-8") if isinstance(old, bytes) else old
        return IdempotencyRecord.from_fields(record.key, loads(text[_TOKEN:]), text[:_TOKEN])

    def update_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        _, complete, _ = self._connect()
        record.version = claimed.version
        done = complete(keys=[self.prefix + record.key],
                        args=[claimed.version, claimed.version + dumps(record.fields()),
                              _milliseconds(record.expiry - time.time())])
        return bool(done)

    def delete_if(self, claimed: IdempotencyRecord) -> bool:
        _, _, release = self._connect()
        return bool(release(keys=[self.prefix + claimed.key], args=[claimed.version]))

    # -- async handlers: the same commands on this loop's redis.asyncio client -------
    async def _aconnect(self) -> tuple[Any, Any, Any]:
        """(client, complete script, release script) of the running loop. The scripts
        run by EVALSHA, loaded by the first call that finds them missing."""
        if self._aio is None:
            from ._aio import PerLoop

            with self._lock:
                if self._aio is None:
                    self._aio = PerLoop(self._async_scripts, _aclose)
        ready: tuple[Any, Any, Any] = await self._aio.get()
        return ready

    def _async_scripts(self) -> tuple[Any, Any, Any]:
        if self._make_async is not None:
            client = self._make_async()
        else:
            import redis.asyncio

            client = redis.asyncio.Redis.from_url(self._url or "redis://localhost:6379/0")
        return client, client.register_script(_COMPLETE), client.register_script(_RELEASE)

    async def aput_if_absent(self, record: IdempotencyRecord, now: float
                             ) -> IdempotencyRecord | None:
        client = (await self._aconnect())[0]
        token = os.urandom(_TOKEN // 2).hex()
        old = await client.set(self.prefix + record.key, token + dumps(record.fields()),
                               nx=True, px=_milliseconds(record.expiry - time.time()),
                               get=True)
        return self._claimed(record, token, old)

    async def aupdate_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        _, complete, _ = await self._aconnect()
        record.version = claimed.version
        done = await complete(keys=[self.prefix + record.key],
                              args=[claimed.version, claimed.version + dumps(record.fields()),
                                    _milliseconds(record.expiry - time.time())])
        return bool(done)

    async def adelete_if(self, claimed: IdempotencyRecord) -> bool:
        _, _, release = await self._aconnect()
        return bool(await release(keys=[self.prefix + claimed.key], args=[claimed.version]))

    def __repr__(self) -> str:
        return f"<RedisStore {self.name}>"


async def _aclose(ready: tuple[Any, Any, Any]) -> None:
    client = ready[0]
    await (client.aclose() if hasattr(client, "aclose") else client.close())  # redis-py < 5


def _milliseconds(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))

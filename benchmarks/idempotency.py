"""``@sdk.idempotent`` on the in-memory store: what it adds to one event.

Every side handles one SQS record per call, made new for the call (its JSON text
``json.loads``-ed, as the Lambda runtime decodes each payload) with a new
awslambdaric ``LambdaContext`` (``benchmarks._core.Fresh``: making them is not
timed). The handler reads the JSON body and returns a small dict.

* polyfn: ``Function.call(message, context)`` (what the batch runner calls per
  record) on the SQS adapter's own message class over the record, with the
  adapter's context over the ``LambdaContext`` (the lease reads its deadline).
* ``powertools-idempotent_function``: the same handler over the record dict under
  powertools' ``idempotent_function`` (``aws_lambda_powertools.utilities.idempotency``),
  the context registered with its config as its docs say, keyed on
  ``[messageId, eventSourceARN]`` with the body validated and SHA-256 hashes (as
  polyfn's), over :class:`DictLayer`: a persistence layer holding its records in
  a dict with the conditions of powertools' DynamoDB layer (the existing record
  returned with the refusal, as ``ReturnValuesOnConditionCheckFailure`` does, so
  no second read): the work of polyfn's memory store.
* floor: polyfn's ``Function.call`` on the same handler without ``@sdk.idempotent``.

Scenarios:

* ``idempotency.first``: a new message id every call: key and payload hashed,
  the claim written, the handler run, its result stored as JSON.
* ``idempotency.duplicate``: the same message every call: key and payload
  hashed, the store answers with the COMPLETED record, its result decoded; the
  handler does not run.
* ``idempotency.cached``: a duplicate answered by the warm container's own cache
  (``local_cache=True``; powertools' ``use_local_cache=True``): no store call.

The issue's target: at most 10 us more than the floor per event.
``python -m benchmarks.idempotency --callgrind`` counts each side's instructions
per event under ``valgrind --tool=callgrind`` (repeatable under load;
docs/idempotency.md has the method, the reference that turns them into us, and
the numbers). Round trips on the remote stores are counted on
the real servers by tests/idempotency/test_round_trips.py.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from ._aws import lambda_context, powertools
from ._core import Fresh, Impl, Scenario, Target, need

__all__ = ["CACHED", "DUPLICATE", "FIRST", "SCENARIOS", "main"]

_BODY = '{"order_id": 1042, "sku": "BK-1", "quantity": 2}'
_SOURCE = "arn:aws:sqs:us-east-1:123456789012:orders"
_POWERTOOLS = "powertools-idempotent_function"


def _record_text(n: int) -> str:
    return json.dumps({
        "messageId": f"059f36b4-87a3-44ab-83d2-6619758{n:05d}",
        "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...", "body": _BODY,
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1710324930000"},
        "messageAttributes": {}, "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "eventSource": "aws:sqs", "eventSourceARN": _SOURCE, "awsRegion": "us-east-1"})


def _records(fresh_ids: bool) -> Callable[[], dict[str, Any]]:
    """A new record dict per call: a new message id each time, or always the same."""
    loads, ids = json.loads, itertools.count()
    if not fresh_ids:
        text = _record_text(0)
        return lambda: loads(text)  # type: ignore[no-any-return]
    return lambda: loads(_record_text(next(ids)))  # type: ignore[no-any-return]


def _order(order: dict[str, Any]) -> dict[str, Any]:
    return {"order": order["order_id"], "quantity": order["quantity"]}


def _polyfn(idempotent: bool, fresh_ids: bool, cache: bool = False) -> Callable[[], Fresh]:
    def setup() -> Fresh:
        sdk = need("sdk")
        message = need("adapters.aws._sqs", "the SQS trigger", attr="SQSMessage").SQSMessage
        context_of = need("adapters.aws._context").lambda_context
        lambda_context()  # n/a now rather than at the first call

        def handle(message: Any) -> dict[str, Any]:
            return _order(message.data)

        if idempotent:
            need("sdk._idempotency", "sdk.idempotent")
            handle = sdk.idempotent(store=sdk.store("memory://"), local_cache=cache)(handle)
        call, record = sdk.function(handle).call, _records(fresh_ids)

        def make() -> tuple[Any, Any]:
            return message(record(), "aws.sqs"), context_of(lambda_context())

        def run(pair: tuple[Any, Any]) -> Any:
            return call(*pair)

        return Fresh(run, make)

    return setup


def _layer() -> Any:
    """:class:`DictLayer`, defined once powertools is imported."""
    idempotency = powertools("idempotency")
    base = need("aws_lambda_powertools.utilities.idempotency.persistence.base")
    errors = need("aws_lambda_powertools.utilities.idempotency.exceptions")
    in_progress = base.STATUS_CONSTANTS["INPROGRESS"]

    class DictLayer(idempotency.BasePersistenceLayer):  # type: ignore[misc,name-defined]
        """powertools' records in a dict, under the DynamoDB layer's conditions: a
        claim writes when no record is live (absent, expired, or an in-progress one
        past its deadline); a refused claim carries the existing record."""

        def __init__(self) -> None:
            super().__init__()
            self.records: dict[str, Any] = {}
            self.lock = threading.Lock()

        def _get_record(self, idempotency_key: str) -> Any:
            try:
                return self.records[idempotency_key]
            except KeyError:
                raise errors.IdempotencyItemNotFoundError from None

        def _put_record(self, data_record: Any) -> None:
            key = data_record.idempotency_key
            found = self.records.setdefault(key, data_record)
            if found is data_record:
                return
            if self._live(found):
                self._validate_payload(data_payload=data_record, stored_data_record=found)
                self._save_to_cache(data_record=found)
                raise errors.IdempotencyItemAlreadyExistsError(old_data_record=found)
            with self.lock:
                self.records[key] = data_record

        @staticmethod
        def _live(record: Any) -> bool:
            now = time.time()
            if record.expiry_timestamp is not None and record.expiry_timestamp < now:
                return False
            deadline = record.in_progress_expiry_timestamp
            return not (record._status == in_progress and deadline is not None
                        and deadline < now * 1000)

        def _update_record(self, data_record: Any) -> None:
            with self.lock:
                self.records[data_record.idempotency_key] = data_record

        def _delete_record(self, data_record: Any) -> None:
            with self.lock:
                self.records.pop(data_record.idempotency_key, None)

    return DictLayer


def _powertools(fresh_ids: bool, cache: bool = False) -> Callable[[], Fresh]:
    def setup() -> Fresh:
        idempotency = powertools("idempotency")
        config = idempotency.IdempotencyConfig(
            event_key_jmespath="[messageId, eventSourceARN]", payload_validation_jmespath="body",
            raise_on_no_idempotency_key=True, hash_function="sha256", use_local_cache=cache)
        loads = json.loads

        @idempotency.idempotent_function(data_keyword_argument="record", config=config,
                                         persistence_store=_layer()())
        def handle(record: dict[str, Any]) -> dict[str, Any]:
            return _order(loads(record["body"]))

        record, register = _records(fresh_ids), config.register_lambda_context

        def make() -> tuple[Any, Any]:
            return record(), lambda_context()

        def run(pair: tuple[Any, Any]) -> Any:
            register(pair[1])
            return handle(record=pair[0])

        return Fresh(run, make)

    return setup


def _scenario(name: str, title: str, fresh_ids: bool, cache: bool = False) -> Scenario:
    return Scenario(
        name=name, title=title,
        polyfn=Impl("polyfn-idempotent", _polyfn(True, fresh_ids, cache)),
        peers=(Impl(_POWERTOOLS, _powertools(fresh_ids, cache)),),
        floor=Impl("no-idempotency", _polyfn(False, fresh_ids)),
        targets=(Target("floor", extra_us=10),),
    )


FIRST = _scenario("idempotency.first", "@sdk.idempotent, memory store: a new event", True)
DUPLICATE = _scenario("idempotency.duplicate",
                      "@sdk.idempotent, memory store: a duplicate", False)
CACHED = _scenario("idempotency.cached",
                   "@sdk.idempotent, local_cache: a duplicate the container completed",
                   False, cache=True)

SCENARIOS = (FIRST, DUPLICATE, CACHED)


def _instructions(scenario: str, impl: str, calls: int, *options: str) -> int:
    """Instructions callgrind counts for a process running ``main(scenario, impl, calls,
    *options)`` (:func:`benchmarks.instructions.total`)."""
    from .instructions import total

    return total(["-m", "benchmarks.idempotency", scenario, impl, str(calls), *options])


def callgrind(calls: int = 1000, peers: bool = False) -> dict[str, dict[str, float]]:
    """Instructions per event of polyfn and the floor (and the peer) of each scenario:
    a process making ``calls`` events and running them, less one making the same
    events and not running them (start-up, imports, set-up and the events' making
    cancel), over ``calls``. ``polyfn-idempotent, context filled`` has the context's
    fields filled while the events are made (what reading the deadline costs)."""
    out: dict[str, dict[str, float]] = {}
    for scenario in SCENARIOS:
        sides = [(impl.name, ()) for role, impl in scenario.impls()
                 if role != "peer" or peers]
        sides.insert(1, (scenario.polyfn.name, ("--filled",)))
        for name, options in sides:
            ran = _instructions(scenario.name, name, calls, *options)
            made = _instructions(scenario.name, name, calls, "--make-only", *options)
            label = f"{name}, context filled" if options else name
            out.setdefault(scenario.name, {})[label] = (ran - made) / calls
            print(f"{scenario.name:24} {label:40} {(ran - made) / calls:10,.0f} instr/event",
                  file=sys.stderr, flush=True)
    return out


def main(argv: list[str]) -> int:
    """``SCENARIO IMPL CALLS [--make-only] [--filled]``: set up, warm, then make
    ``CALLS`` events 100 at a time (as the timing loop does) and run them (what
    callgrind counts); ``--callgrind [CALLS] [--peers]``: every side under
    callgrind, as instructions per event and added over the floor."""
    if argv[:1] == ["--callgrind"]:
        counts = callgrind(*(int(a) for a in argv[1:] if a.isdigit()), peers="--peers" in argv)
        print("| scenario | side | instructions per event | added |")
        print("|---|---|---:|---:|")
        for name, sides in counts.items():
            floor = sides["no-idempotency"]
            for impl, count in sides.items():
                print(f"| {name} | {impl} | {count:,.0f} | {count - floor:+,.0f} |")
        return 0
    flags = {a for a in argv if a.startswith("--")}
    argv = [a for a in argv if not a.startswith("--")]
    if len(argv) != 3 or flags - {"--make-only", "--filled"}:
        print("usage: python -m benchmarks.idempotency (SCENARIO IMPL CALLS [--make-only] "
              "[--filled] | --callgrind [CALLS] [--peers])", file=sys.stderr)
        return 2
    scenario = next(s for s in SCENARIOS if s.name == argv[0])
    impl = next(i for _, i in scenario.impls() if i.name == argv[1])
    fn = impl.setup()
    assert isinstance(fn, Fresh)
    fn()
    make, run = fn.make, fn.run
    if "--filled" in flags:
        plain = make

        def make() -> Any:
            pair = plain()
            pair[1].remaining_ms()  # fills a lazy context
            return pair

    left = int(argv[2])
    while left > 0:
        events = [make() for _ in range(min(left, fn.chunk))]
        left -= len(events)
        if "--make-only" not in flags:
            for event in events:
                run(event)
        del events
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

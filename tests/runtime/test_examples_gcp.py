"""The examples under the REAL functions-framework server, from their deploy folders.

Each example's Google Cloud deploy folder is staged as ``python -m
examples._stage <name> gcp`` makes it (without polyfn's wheel: this checkout's
``sdk``/``adapters`` come after the folder on ``PYTHONPATH``), and
``functions-framework --source main.py --target <entry point>`` serves it on
loopback with the signature type the README's ``gcloud functions deploy`` implies.
The tests send what Google Cloud sends (Eventarc CloudEvents in binary and
structured mode, 1st-gen background events, Pub/Sub push bodies, Cloud Scheduler
requests, plain HTTP) and read the status code the platform acts on (2xx
acknowledges; anything else makes Pub/Sub or Eventarc deliver the event again)
and the structured log lines the handler wrote (Cloud Logging's source).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import ff_server as ffs
from tests.support.logs import structured
from tests.support.samples import PROJECT_ROOT, SAMPLES, load, requires_samples

pytestmark = [pytest.mark.runtime, requires_samples]

ORDER = {"id": "o-1", "sku": "BOOK-1", "qty": 2}
TOPIC = "projects/shop/topics/orders"
PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"
JSON = {"Content-Type": "application/json"}


class Server:
    """A functions-framework serving one example, and the log lines read so far."""

    def __init__(self, ff: ffs.FunctionsFramework) -> None:
        self.ff = ff
        self.read = 0

    def new_logs(self) -> list[dict[str, Any]]:
        """The handler's structured log lines written since the previous call."""
        lines = self.ff.stdout.splitlines()
        fresh, self.read = lines[self.read:], len(lines)
        return structured(fresh, "severity")


def serve(name: str, target: str, signature: str, tmp: Path) -> Iterator[Server]:
    from examples._stage import stage

    folder = stage(PROJECT_ROOT / "examples" / name, "gcp", tmp / f"{name}-gcp", wheel=False)
    with ffs.FunctionsFramework(folder / "main.py", target, signature_type=signature,
                                cwd=folder) as ff:
        yield Server(ff)


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve("quickstart", "http", "http", tmp_path_factory.mktemp("gcp"))


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve("orders", "orders", "cloudevent", tmp_path_factory.mktemp("gcp"))


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve("uploads", "uploads", "cloudevent", tmp_path_factory.mktemp("gcp"))


@pytest.fixture(scope="module")
def nightly(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve("nightly", "nightly", "http", tmp_path_factory.mktemp("gcp"))


# -- quickstart: HTTP ------------------------------------------------------------------

def test_http_get(quickstart: Server) -> None:
    status, headers, body = quickstart.ff.get(
        "/hello?name=Ada", {"Cookie": "visits=2", "Function-Execution-Id": "exec-1"})
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert headers["x-greeter"] == "polyfn"
    assert headers["set-cookie"] == "visits=3; Path=/; Max-Age=86400; HttpOnly"
    assert json.loads(body) == {"message": "Hello, Ada!", "provider": "gcp", "visits": 3}
    (line,) = quickstart.new_logs()
    assert line["message"] == "greeted" and line["visits"] == 3
    assert line["execution_id"] == "exec-1"  # the platform's id for this request


@pytest.mark.parametrize(("body", "status"), [(b'{"name": ', 400), (b'{"name": ""}', 422)])
def test_http_post_bad_input_is_a_problem(quickstart: Server, body: bytes, status: int) -> None:
    response = quickstart.ff.post("/hello", body, JSON)
    assert response.status == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "set-cookie" not in response.headers
    assert response.json()["status"] == status


# -- orders: Pub/Sub --------------------------------------------------------------------

def published(order: Any) -> dict[str, Any]:
    """The Pub/Sub text sample's CloudEvent data, carrying ``order``."""
    data = load(SAMPLES / "gcp/pubsub/pubsub_text-cloudevent-input.json")["data"]
    data["message"]["data"] = base64.b64encode(json.dumps(order).encode()).decode()
    return dict(data)


def attributes(id: str = "m-1") -> dict[str, str]:
    return {"id": id, "type": PUBLISHED, "source": f"//pubsub.googleapis.com/{TOPIC}",
            "specversion": "1.0"}


def accepted(server: Server) -> list[str]:
    return [x["order_id"] for x in server.new_logs() if x["message"] == "order accepted"]


def test_order_in_a_binary_cloudevent(orders: Server) -> None:
    assert orders.ff.send_binary_cloudevent(attributes(), published(ORDER)).status == 200
    assert accepted(orders) == ["o-1"]


def test_order_in_a_structured_cloudevent(orders: Server) -> None:
    assert orders.ff.send_structured_cloudevent(attributes(), published(ORDER)).status == 200
    assert accepted(orders) == ["o-1"]


def test_order_in_a_1st_gen_background_event(orders: Server) -> None:
    message = ffs.pubsub_message(ORDER, message_id="m-2")
    event = ffs.pubsub_background_event(message, TOPIC)
    assert orders.ff.send_background_event(event).status == 200  # converted to a CloudEvent
    assert accepted(orders) == ["o-1"]


def test_order_in_a_pubsub_push_body(orders: Server) -> None:
    message = ffs.pubsub_message(ORDER, message_id="m-3")
    assert orders.ff.send_pubsub_push(message, path=f"/{TOPIC}").status == 200
    assert accepted(orders) == ["o-1"]


@pytest.mark.parametrize(("order", "error"), [
    ({**ORDER, "sku": "RECALLED-1"}, "OrderRejected"),
    ({**ORDER, "qty": 0}, "DataValidationError"),
])
def test_a_failed_order_is_not_acknowledged(orders: Server, order: Any, error: str) -> None:
    response = orders.ff.send_binary_cloudevent(attributes("m-4"), published(order))
    assert not 200 <= response.status < 300  # so Pub/Sub delivers it again (--retry)
    assert response.status == 500
    assert accepted(orders) == []
    orders.ff.wait_for_output(error, "stderr")  # functions-framework logs the traceback


# -- uploads: Cloud Storage ---------------------------------------------------------------

def storage(kind: str = "finalized") -> tuple[dict[str, Any], Any]:
    event = load(SAMPLES / "gcp/storage/storage-cloudevent-input.json")
    data = event.pop("data")
    event["type"] = f"google.cloud.storage.object.v1.{kind}"
    return event, data


def test_object_finalized_binary(uploads: Server) -> None:
    assert uploads.ff.send_binary_cloudevent(*storage()).status == 200
    (line,) = uploads.new_logs()
    assert line["message"] == "object created"
    assert (line["bucket"], line["key"], line["size"]) == ("some-bucket", "folder/Test.cs", 352)
    assert line["content_type"] == "text/plain"


def test_object_deleted_structured(uploads: Server) -> None:
    assert uploads.ff.send_structured_cloudevent(*storage("deleted")).status == 200
    (line,) = uploads.new_logs()
    assert line["message"] == "object deleted"
    assert (line["bucket"], line["key"]) == ("some-bucket", "folder/Test.cs")


def test_1st_gen_storage_event(uploads: Server) -> None:
    event = load(SAMPLES / "gcp/storage/storage-legacy-input.json")
    assert uploads.ff.send_background_event(event).status == 200
    (line,) = uploads.new_logs()
    assert line["message"] == "object created" and line["key"] == "folder/Test.cs"


# -- nightly: Cloud Scheduler over HTTP ---------------------------------------------------

SCHEDULER = {"X-CloudScheduler": "true", "X-CloudScheduler-JobName": "nightly",
             "X-CloudScheduler-ScheduleTime": "2024-05-02T02:00:00.123Z",
             "User-Agent": "Google-Cloud-Scheduler"}


def test_cloud_scheduler_runs_the_job(nightly: Server) -> None:
    job_body = (SAMPLES / "gcp/scheduler/data-SchedulerJobData-simple.json").read_bytes()
    response = nightly.ff.post("/", job_body, {**SCHEDULER, **JSON})
    assert response.status == 200
    assert response.json() == {"report": "2024-05-01", "schedule": "nightly"}
    (line,) = nightly.new_logs()
    assert line["message"] == "nightly report" and line["day"] == "2024-05-01"


def test_a_request_not_from_cloud_scheduler_is_refused(nightly: Server) -> None:
    response = nightly.ff.post("/", b"{}", JSON)
    assert response.status == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert nightly.new_logs() == []

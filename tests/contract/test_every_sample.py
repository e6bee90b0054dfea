"""Every file under the samples folder is accounted for.

Each sample either decodes, with `polyfn event`, to its trigger (named after its
folder) and the kind that trigger produces, or stands in UNSUPPORTED with a reason
and makes `polyfn event` exit 2 with one clear line. Files named ``data-*``
outside gcp/pubsub are bare CloudEvent ``data``: they are decoded inside an
envelope built here with the type Google documents for them. Field-by-field checks
live in the per-provider contract tests; this one makes sure no file is left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import adapters.cloudevents as cloudevents
from adapters.cli import main
from tests.support.samples import (
    FILE_TRIGGERS,
    load,
    params,
    requires_samples,
    sample_files,
    sample_id,
)

#: Folder -> the kind its events decode to (Azure Event Grid: by event type, below).
KINDS: dict[str, str] = {
    **{f"aws/{f}": "http" for f in ("alb", "apigw-v1", "apigw-v2", "function-url",
                                     "vpc-lattice")},
    **{f"aws/{f}": "message" for f in ("sqs", "sns", "kinesis", "kafka", "mq")},
    "aws/s3": "storage", "aws/s3-eventbridge": "storage", "aws/scheduled": "schedule",
    "aws/dynamodb-stream": "change",
    **{f"aws/{f}": "event" for f in (
        "apigw-authorizer", "apigw-websocket", "appsync", "appsync-events", "bedrock-agent",
        "cloudformation-custom-resource", "cloudwatch-alarm", "cloudwatch-dashboard",
        "cloudwatch-logs", "codedeploy", "codepipeline", "cognito-userpool", "config-rule",
        "connect", "connect-outbound-campaigns", "eventbridge", "kinesis-firehose", "s3-batch",
        "s3-object-lambda", "secrets-manager-rotation", "ses", "transfer-family")},
    "azure/blob-eventgrid": "storage", "azure/cosmosdb": "change",
    "gcp/pubsub": "message", "gcp/storage": "storage", "gcp/firestore": "change",
    "gcp/firebase-rtdb": "change", "gcp/scheduler": "schedule",
    **{f"gcp/{f}": "event" for f in ("audit-log", "cloudbuild", "firebase-auth",
                                     "firebase-alerts", "firebase-analytics",
                                     "firebase-remote-config", "firebase-testlab")},
}

#: Folders whose trigger is not simply the folder name with dashes as dots.
TRIGGERS: dict[str, str] = {
    "azure/eventgrid": "azure.eventgrid",
}

#: The CloudEvent type Google documents for each folder's ``data-*`` payloads.
DATA_TYPES: dict[str, str] = {
    "gcp/audit-log": "google.cloud.audit.log.v1.written",
    "gcp/cloudbuild": "google.cloud.cloudbuild.build.v1.statusChanged",
    "gcp/firebase-alerts": "google.firebase.firebasealerts.alerts.v1.published",
    "gcp/firebase-analytics": "google.firebase.analytics.log.v1.written",
    "gcp/firebase-auth": "google.firebase.auth.user.v1.created",
    "gcp/firebase-remote-config": "google.firebase.remoteconfig.remoteTemplate.v1.published",
    "gcp/firebase-rtdb": "google.firebase.database.ref.v1.written",
    "gcp/firebase-testlab": "google.firebase.testlab.testMatrix.v1.completed",
    "gcp/firestore": "google.cloud.firestore.document.v1.written",
    "gcp/scheduler": "google.cloud.scheduler.job.v1.executed",
    "gcp/storage": "google.cloud.storage.object.v1.finalized",
}

#: Deliberately unsupported as a whole payload, with the reason. Each is still
#: used by a contract test where it fits (as a body inside a built input).
UNSUPPORTED: dict[str, str] = {
    "azure/http/functions-template-HttpTrigger-sample-body.json":
        "an HTTP body only, no request around it (tests/unit/test_azure_http.py uses it "
        "as the body of a real func.HttpRequest)",
    "azure/event-hubs/functions-template-EventHubTrigger-sample-body.json":
        "a bare message body (a JSON string) with no Event Hubs metadata; "
        "tests/contract/test_azure_samples.py sends it through the Event Hubs converter",
    "azure/authentication-events/functions-template-AuthenticationEventsTrigger-sample.json":
        "the body of the HTTP request Entra ID sends to an HTTP-triggered function, not a "
        "trigger payload (tests/contract/test_azure_samples.py posts it as that body)",
    "azure/eventgrid-custom-schema/CustomSchemaEvent.json":
        "a custom-schema topic delivers the publisher's own JSON with no envelope to "
        "recognise; an Event Grid trigger hands it over as it is",
}

#: Samples that are malformed as published: they decode (lazily), and reading the
#: broken field fails with a line naming the trigger and key; `polyfn event` exits 2.
MALFORMED: dict[str, str] = {
    "aws/apigw-v1/apiGatewayProxyEvent_noVersionAuth.json":
        "aws.apigw.v1: body is marked base64 but is not valid base64 (keys: body)",
}

#: Samples decoded with another provider than their folder's, and why.
PROVIDER: dict[str, str] = {
    # A CloudEvents-schema event with nothing Azure-made in it (no Microsoft.* type,
    # no /subscriptions/ source): any CloudEvents engine could have sent it.
    "azure/eventgrid-cloudevents/CloudEventBinaryData.json": "cloudevents",
}


def _folder(path: Path) -> str:
    return "/".join(sample_id(path).split("/")[:2])


def _is_data_only(path: Path) -> bool:
    return path.name.startswith("data-") and _folder(path) != "gcp/pubsub"


def _expected_trigger(folder: str, rel: str = "") -> str:
    return (FILE_TRIGGERS.get(rel) or TRIGGERS.get(folder)
            or folder.replace("/", ".").replace("-", "."))


def _expected_kind(folder: str, event: dict[str, Any]) -> str:
    if folder in KINDS:
        return KINDS[folder]
    storage = str(event.get("type") or "").startswith("Microsoft.Storage.Blob")
    return "storage" if storage else "event"


def _provider(path: Path) -> str:
    return PROVIDER.get(sample_id(path)) or sample_id(path).split("/")[0]


def _cli_event(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["event", str(path), "--provider", _provider(path)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.mark.parametrize("path", params("**/*.json"))
def test_sample_is_accounted_for(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rel, folder = sample_id(path), _folder(path)
    if rel in UNSUPPORTED or rel in MALFORMED:
        code, out, err = _cli_event(path, capsys)
        assert code == 2 and out == []
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
        if rel in MALFORMED:
            assert err.strip() == f"error: {MALFORMED[rel]}"
        return
    if _is_data_only(path):
        envelope = {"specversion": "1.0", "id": "sample-1", "source": "//test/envelope",
                    "type": DATA_TYPES[folder], "datacontenttype": "application/json",
                    "data": load(path)}
        events = [e.to_dict() for e in cloudevents.decode(envelope)]
    else:
        code, out, err = _cli_event(path, capsys)
        assert code == 0, err
        events = [json.loads(line) for line in out]
    assert events, f"{rel}: no event"
    for event in events:
        if rel in PROVIDER:
            assert (event["provider"], event["trigger"]) == (PROVIDER[rel], PROVIDER[rel])
        elif folder.startswith("azure/eventgrid"):
            assert event["trigger"].startswith("azure.")
        else:
            assert event["trigger"] == _expected_trigger(folder, rel), rel
        assert event["kind"] == _expected_kind(folder, event), rel


@requires_samples
def test_every_folder_has_an_expectation() -> None:
    folders = {_folder(p) for p in sample_files()}
    unknown = {f for f in folders if f not in KINDS and not f.startswith("azure/eventgrid")
               and not any(u.startswith(f + "/") for u in UNSUPPORTED)}
    assert not unknown
    every = {sample_id(p) for p in sample_files()}
    assert set(UNSUPPORTED) | set(MALFORMED) | set(PROVIDER) <= every


def test_unsupported_table_stays_small() -> None:
    assert len(UNSUPPORTED) <= 5

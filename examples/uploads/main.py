"""Google Cloud Functions / Cloud Run functions entry point: ``--entry-point uploads``.

Deployed with an Eventarc trigger on ``google.cloud.storage.object.v1.finalized`` (and
a second deployment on ``...deleted``), each object event arrives as a CloudEvent.
functions-framework finds the target by name and its signature type by the decorated
function's ``__name__``, hence a real ``def uploads``.
"""

from __future__ import annotations

import functions_framework
from cloudevents.http import CloudEvent

from adapters.gcp import cloudevent_function
from examples.uploads.handler import handle

on_upload = cloudevent_function(handle)


@functions_framework.cloud_event
def uploads(event: CloudEvent) -> None:
    on_upload(event)

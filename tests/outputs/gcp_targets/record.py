"""A polyfn handler served by functions-framework (``--target on_message``) that
appends each event's JSON form to the file ``$POLYFN_RECORD`` (one line each)."""

import json
import os

from adapters.gcp import cloudevent_function


def handle(event):
    with open(os.environ["POLYFN_RECORD"], "a", encoding="utf-8") as out:
        out.write(json.dumps(event.to_dict()) + "\n")


on_message = cloudevent_function(handle)

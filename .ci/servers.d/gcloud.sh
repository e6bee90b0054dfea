# The Google Cloud SDK's Pub/Sub and Firestore emulators (Java components). They
# come with the SDK's components, not from a package index: fail with what to
# install when they are missing, then check that each starts and stops.
set -euo pipefail
if ! command -v gcloud >/dev/null; then
  echo "error: the Google Cloud SDK is required (gcloud not on PATH)" >&2
  exit 1
fi
if ! command -v java >/dev/null; then
  echo "error: the gcloud emulators need a Java runtime (apt-get install default-jre-headless)" >&2
  exit 1
fi
.venv/bin/python - <<'PY'
import sys

from tests.support.servers._base import ServerUnavailable
from tests.support.servers.firestore import Firestore
from tests.support.servers.pubsub import PubSub

for cls in (PubSub, Firestore):
    try:
        server = cls().start()
    except ServerUnavailable as exc:
        sys.exit(f"error: {exc}")
    server.stop()
    print(f"{cls.name} ok ({server.url})")
PY

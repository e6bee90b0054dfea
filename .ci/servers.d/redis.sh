# redis-server (the redis:// idempotency store) from Debian's package: SET ... NX
# GET needs Redis 7.0 or later (bookworm has 7.0.15). Installed when missing, then
# checked to start and stop (tests/support/servers/redis.py).
set -euo pipefail
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi
.venv/bin/python - <<'PY'
import sys

from tests.support.servers._base import ServerUnavailable
from tests.support.servers.redis import Redis

try:
    server = Redis().start()
except ServerUnavailable as exc:
    sys.exit(f"error: {exc}")
import redis

version = redis.Redis.from_url(server.url).info("server")["redis_version"]
server.stop()
if int(version.split(".")[0]) < 7:
    sys.exit(f"error: redis-server {version} is older than 7.0 (SET ... NX GET)")
print(f"redis {version} ok ({server.url})")
PY

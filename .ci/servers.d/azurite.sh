# Azurite (Azure Blob/Queue/Table emulator) from npm, pinned: 3.35.0 runs on Node
# >= 10 (3.36+ declare newer Nodes; ../shared/EMULATORS.md). Installed into the
# git-ignored .tools/ where tests/support/servers/azurite.py looks for it.
set -euo pipefail
version=3.35.0
if ! command -v npm >/dev/null; then
  echo "error: npm is required to install Azurite (apt-get install nodejs npm)" >&2
  exit 1
fi
installed=$(node -p "require('./.tools/node_modules/azurite/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$version" ]; then
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "azurite@$version"
fi
.venv/bin/python - <<'PY'
from tests.support.servers.azurite import Azurite

server = Azurite().start()
server.stop()
print(f"azurite ok ({server.url})")
PY

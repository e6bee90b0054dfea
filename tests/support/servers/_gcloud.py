"""Where the Google Cloud SDK keeps its emulator components."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ._base import ServerUnavailable

__all__ = ["component"]


def _sdk_root() -> Path | None:
    """``$CLOUDSDK_ROOT_DIR``, else the SDK holding the ``gcloud`` on PATH
    (``<root>/bin/gcloud``; resolved through symlinks, without running it)."""
    root = os.environ.get("CLOUDSDK_ROOT_DIR")
    if root:
        return Path(root)
    gcloud = shutil.which("gcloud")
    return Path(gcloud).resolve().parent.parent if gcloud else None


def component(relative: str, name: str) -> str:
    """The launcher ``<sdk>/platform/<relative>``; ServerUnavailable naming the
    gcloud component to install when it is missing."""
    root = _sdk_root()
    path = root / "platform" / relative if root else None
    if path is None or not path.exists():
        raise ServerUnavailable(f"the gcloud {name} component is not installed "
                                f"(gcloud components install {name}, or apt-get install "
                                f"google-cloud-cli-{name})")
    return str(path)

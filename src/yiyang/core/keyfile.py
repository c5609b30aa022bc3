"""Secrets for the embedded mode: generated once under the data directory, mode 0600.

Production passes every secret through the environment; this file only exists so that
`make demo` works on a fresh machine without configuration.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

_NAME = "secrets.json"


def _generate() -> dict[str, str]:
    return {
        "secret_key": secrets.token_urlsafe(50),
        "field_key": f"local1:{secrets.token_hex(16)}",
        "index_key": secrets.token_hex(32),
    }


def ensure_local_secrets(data_dir: Path, *, persist: bool = True) -> dict[str, str]:
    """Read the local secrets file, creating it (and the data directory) on first use."""
    if not persist:
        return _generate()
    path = data_dir / _NAME
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    data_dir.mkdir(parents=True, exist_ok=True)
    values = _generate()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process (worker, server) won the race
        return json.loads(path.read_text(encoding="utf-8"))
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(values, fh)
    return values

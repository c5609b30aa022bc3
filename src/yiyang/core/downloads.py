"""Download headers for generated files with Chinese names (RFC 6266 / RFC 5987)."""

from __future__ import annotations

from urllib.parse import quote


def content_disposition(filename: str, *, inline: bool = False, fallback: str = "") -> str:
    """`attachment` (or `inline`) with the UTF-8 name; `fallback` is an ASCII name for clients
    that ignore `filename*`."""
    parts = ["inline" if inline else "attachment"]
    if fallback:
        parts.append(f'filename="{fallback}"')
    parts.append(f"filename*=UTF-8''{quote(filename)}")
    return "; ".join(parts)

"""Download headers for generated files with Chinese names (RFC 6266 / RFC 5987), and serving
stored files privately."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from yiyang.core.errors import NotFound


def content_disposition(filename: str, *, inline: bool = False, fallback: str = "") -> str:
    """`attachment` (or `inline`) with the UTF-8 name; `fallback` is an ASCII name for clients
    that ignore `filename*`."""
    parts = ["inline" if inline else "attachment"]
    if fallback:
        parts.append(f'filename="{fallback}"')
    parts.append(f"filename*=UTF-8''{quote(filename)}")
    return "; ".join(parts)


def private_file(file: FieldFile, *, missing: str = "", gone: str = "",
                 cache: str = "private, no-cache", content_type: str | None = None
                 ) -> FileResponse:
    """A stored file of a row the caller was allowed to load: never cached by shared caches,
    never content-sniffed. 404 with `missing` when the row has no file, `gone` when the stored
    file is not there (the default message when empty)."""
    name = file.name
    if not name:
        raise NotFound(missing) if missing else NotFound()
    try:
        handle = file.storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise (NotFound(gone) if gone else NotFound()) from exc
    response = FileResponse(handle, content_type=content_type
                            or mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Evidence files (sign-in sheets, photos, rectification reports): checked by size, name and
content (magic bytes), stored under the data dir (`MEDIA_ROOT`) and served only by views that
load the row through `visible_to` (no public media URL)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from yiyang.core.errors import ValidationFailed

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_MAGIC = {".pdf": (b"%PDF",), ".png": (b"\x89PNG",), ".jpg": (b"\xff\xd8\xff",),
          ".jpeg": (b"\xff\xd8\xff",)}


def check(upload: UploadedFile | None, *, field: str = "evidence") -> UploadedFile | None:
    """The upload if it is a PDF, JPG or PNG of at most 10 MB; `ValidationFailed` otherwise."""
    if upload is None or not upload.name:
        return None
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationFailed("too_large", "佐证材料不能超过 10 MB", field=field)
    name = upload.name.lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    if suffix not in _MAGIC:
        raise ValidationFailed("bad_type", "佐证材料应为 PDF 或图片（JPG、PNG）", field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in _MAGIC[suffix]):
        raise ValidationFailed("bad_content", "文件内容与扩展名不符，请上传 PDF 或图片",
                               field=field)
    return upload


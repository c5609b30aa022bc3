"""A resident's photo: checked by content, re-encoded without metadata, audited by name only.

The file lives under MEDIA_ROOT (inside YIYANG_DATA_DIR) and is never served from a public URL:
`residents:photo_file` answers it after the same `visible_to` check as the resident's page.
"""

from __future__ import annotations

import io
import uuid
from typing import IO

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from yiyang.core import audit
from yiyang.core.errors import Forbidden, ValidationFailed
from yiyang.core.permissions import Perm
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.versioning import bump
from yiyang.residents.models import Person

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; larger is a decompression bomb, not a face
MAX_SIDE = 1200  # stored size: enough for a printed card, small on a tablet
# Magic bytes: the type is read from the content, never from the name or the browser's word.
SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}

_WRONG_TYPE = "照片只能是 JPG 或 PNG 格式的图片"


def sniff(head: bytes) -> str | None:
    """"JPEG" or "PNG" from the first bytes, else None."""
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def normalise(data: bytes) -> tuple[bytes, str]:
    """Check a JPEG/PNG by content and re-encode it upright, at most MAX_SIDE, without EXIF
    (phones write the GPS position there). Returns (bytes, extension)."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed("too_large", "照片不能超过 5 MB", field="file")
    if not data:
        raise ValidationFailed("required", "请选择照片文件", field="file")
    kind = sniff(data[:8])
    if kind is None:
        raise ValidationFailed("wrong_type", _WRONG_TYPE, field="file")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind:
                raise ValidationFailed("wrong_type", _WRONG_TYPE, field="file")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed("too_many_pixels", "照片像素过大，请缩小后再上传",
                                       field="file")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if kind == "JPEG":
                upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                keep = "RGBA" if upright.mode in ("RGBA", "LA", "P") else "RGB"
                upright.convert(keep).save(out, "PNG", optimize=True)
    except ValidationFailed:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationFailed("too_many_pixels", "照片像素过大，请缩小后再上传",
                               field="file") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationFailed("broken_image", "照片文件已损坏或无法识别，请重新拍摄或选择",
                               field="file") from exc
    return out.getvalue(), EXTENSIONS[kind]


def read_upload(file: IO[bytes]) -> bytes:
    """The uploaded file's bytes, refused over MAX_BYTES (also used for care's lesion photos)."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:  # refuse before reading it
        raise ValidationFailed("too_large", "照片不能超过 5 MB", field="file")
    return file.read(MAX_BYTES + 1)


@transaction.atomic(durable=True)
def set_photo(*, actor: Actor, person_id: int, file: IO[bytes] | None,
              version: int | None) -> Person:
    """Store a new photo of the person, replacing (and deleting) the old one."""
    person = get_visible_or_404(Person, actor, Action.CHANGE, pk=person_id)
    # Registrars photograph on admission, nurses at the bedside: either may set it.
    if not (actor.can(Perm.ADMIT_RESIDENTS) or actor.can(Perm.EDIT_HEALTH_RECORDS)):
        raise Forbidden()
    if file is None:
        raise ValidationFailed("required", "请选择照片文件", field="file")
    data, ext = normalise(read_upload(file))
    old = person.photo.name or ""
    bump(person, version)
    # A random name: the original file name may carry the person's name or ID number.
    person.photo.save(f"{person.pk}-{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    new = person.photo.name
    storage = person.photo.storage
    try:
        person.save(update_fields=["photo", "version", "updated_at"])
        ensure_visible(person, actor)
        audit.record(actor, "residents.person.photo", person,
                     changes={"photo": [old or None, new], "bytes": len(data)})
    except Exception:
        storage.delete(new)
        raise
    transaction.on_commit(lambda: storage.delete(old) if old else None)
    return person


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")

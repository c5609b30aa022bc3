"""Optional photos of a lesion's healing-record entries: checked by content and size like a
resident's photo, re-encoded without metadata, stored under a random name, served only to who
may read the entry (never a public URL), audited by name only."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from yiyang.care import safety_services as services
from yiyang.care.models import PressureInjury, PressureInjuryObservation
from yiyang.core.errors import ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.residents import photo_services
from yiyang.residents.models import OPEN_STATUSES, Stay


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (180, 90, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 47.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def _lesion(cast) -> PressureInjury:  # type: ignore[no-untyped-def]
    stay = (Stay.objects.filter(home=cast.home_of("nurse_a"), status__in=OPEN_STATUSES)
            .order_by("pk")[9])
    return services.record_lesion(actor=cast.actor("nurse_a"), person_id=stay.person_id,
                                  site="sacrum", stage="2",
                                  found_at=timezone.now() - timedelta(hours=2))


def _post(client, lesion: PressureInjury, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("care:wound_observe", args=[lesion.pk]), {
        "version": lesion.version, "stage": "2", "wound_bed": "红色肉芽",
        "photo": SimpleUploadedFile(name, data, content_type="image/jpeg")})


def test_a_png_is_re_encoded_shown_and_served_to_the_home_only(cast, media) -> None:
    lesion = _lesion(cast)
    assert Image.open(io.BytesIO(png_with_exif())).getexif()  # the upload does carry EXIF
    client = cast.browser("nurse_a")
    response = _post(client, lesion, png_with_exif(), "张三-骶尾部.png")
    assert response.status_code == 302
    obs = PressureInjuryObservation.objects.filter(lesion=lesion).latest("pk")
    name = obs.photo.name
    assert name.startswith("wound-photos/") and name.endswith(".png") and "张三" not in name
    assert (media / name).exists()
    url = reverse("care:wound_photo", args=[obs.pk])
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert "private" in served["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as stored:
        assert stored.format == "PNG" and stored.size == (40, 30)
        assert not stored.getexif()  # the phone's make and GPS position are gone
    detail = client.get(reverse("care:wound_detail", args=[lesion.pk])).content.decode()
    assert url in detail and 'enctype="multipart/form-data"' in detail
    assert cast.browser("nurse_c").get(url).status_code == 404
    assert cast.browser("doctor_d").get(url).status_code == 404
    event = AuditEvent.objects.filter(action="care.lesion.photo").latest("id")
    assert event.username == "nurse_a" and event.changes["photo"] == [None, name]
    assert len(json.dumps(event.changes)) < 200  # the name, never the bytes


def test_an_entry_without_photo_has_no_file(cast) -> None:
    lesion = _lesion(cast)
    obs = services.add_observation(actor=cast.actor("nurse_a"), lesion_id=lesion.pk,
                                   version=lesion.version, stage="2")
    assert not obs.photo
    url = reverse("care:wound_photo", args=[obs.pk])
    assert cast.browser("nurse_a").get(url).status_code == 404


def test_a_text_file_named_jpg_is_refused_in_chinese(cast, media) -> None:
    lesion = _lesion(cast)
    fake = SimpleUploadedFile("伤口.jpg", "这不是图片".encode() * 10, content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as caught:
        services.add_observation(actor=cast.actor("nurse_a"), lesion_id=lesion.pk,
                                 version=lesion.version, stage="2", photo=fake)
    assert "JPG 或 PNG" in caught.value.message
    client = cast.browser("nurse_a")
    response = _post(client, lesion, b"plain text, not an image", "wound.jpg")
    assert response.status_code == 302
    page = client.get(reverse("care:wound_detail", args=[lesion.pk])).content.decode()
    assert "照片只能是 JPG 或 PNG 格式的图片" in page
    assert not PressureInjuryObservation.objects.filter(lesion=lesion).exists()
    assert not list(media.rglob("*.*"))


def test_an_oversize_file_is_refused(cast, media) -> None:
    lesion = _lesion(cast)
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * photo_services.MAX_BYTES,
                             content_type="image/png")
    with pytest.raises(ValidationFailed) as caught:
        services.add_observation(actor=cast.actor("nurse_a"), lesion_id=lesion.pk,
                                 version=lesion.version, stage="2", photo=big)
    assert caught.value.message == "照片不能超过 5 MB"
    assert not PressureInjuryObservation.objects.filter(lesion=lesion).exists()
    assert not list(media.rglob("*.*"))

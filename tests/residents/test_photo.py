"""A resident's photo: upload checked by content and size, served only through `visible_to`,
never from a public URL, audited without its bytes, the old file removed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.residents import photo_services
from yiyang.residents.models import Person, Stay


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (60, 80), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 160, 120))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {1: "N", 2: (34.0, 47.0, 0.0)}  # GPS IFD
        image.save(out, kind, exif=data)
    else:
        image.save(out, kind)
    return out.getvalue()


def _person(cast) -> Person:  # type: ignore[no-untyped-def]
    return Stay.objects.filter(home=cast.home_of("nurse_a"), status="in_residence") \
        .select_related("person").first().person


def _upload(client, person: Person, data: bytes, name: str = "photo.jpg",  # type: ignore[no-untyped-def]
            content_type: str = "image/jpeg"):
    return client.post(reverse("residents:photo", args=[person.pk]), {
        "version": person.version,
        "file": SimpleUploadedFile(name, data, content_type=content_type)})


def test_upload_then_the_page_shows_it_and_the_file_is_served(cast, media) -> None:
    person = _person(cast)
    client = cast.browser("nurse_a")
    assert client.get(reverse("residents:photo", args=[person.pk])).status_code == 200
    response = _upload(client, person, image_bytes(exif=True), name="张三-410221.jpg")
    assert response.status_code == 302
    person.refresh_from_db()
    name = person.photo.name
    assert name.startswith("photos/") and name.endswith(".jpg") and "张三" not in name
    assert (media / name).exists()
    served = client.get(reverse("residents:photo_file", args=[person.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "private" in served["Cache-Control"]
    body = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(body)) as stored:
        assert stored.format == "JPEG" and stored.size == (60, 80)
        assert not stored.getexif()  # the phone's make and GPS position are gone
    detail = client.get(reverse("residents:detail", args=[person.pk])).content.decode()
    assert reverse("residents:photo_file", args=[person.pk]) in detail and "更换照片" in detail
    event = AuditEvent.objects.filter(action="residents.person.photo").latest("id")
    assert event.username == "nurse_a" and event.changes["photo"] == [None, name]
    assert len(json.dumps(event.changes)) < 200  # the name, never the bytes


def test_png_is_kept_png_and_a_big_one_is_scaled_down(cast) -> None:
    person = _person(cast)
    updated = photo_services.set_photo(
        actor=cast.actor("reg_a"), person_id=person.pk, version=person.version,
        file=io.BytesIO(image_bytes("PNG", size=(3000, 2000))))
    assert updated.photo.name.endswith(".png")
    with updated.photo.open("rb") as fh, Image.open(fh) as stored:
        assert stored.format == "PNG" and max(stored.size) == photo_services.MAX_SIDE


def test_replacing_deletes_the_old_file(cast, media, django_capture_on_commit_callbacks) -> None:
    person = _person(cast)
    actor = cast.actor("nurse_a")
    with django_capture_on_commit_callbacks(execute=True):
        first = photo_services.set_photo(actor=actor, person_id=person.pk,
                                         version=person.version, file=io.BytesIO(image_bytes()))
    old = first.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        second = photo_services.set_photo(actor=actor, person_id=person.pk,
                                          version=first.version,
                                          file=io.BytesIO(image_bytes("PNG")))
    assert second.photo.name != old
    assert not (media / old).exists() and (media / second.photo.name).exists()


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a" + b"\0" * 100, "只能是 JPG 或 PNG"),
    (b"%PDF-1.7 not a picture", "只能是 JPG 或 PNG"),
    (b"\xff\xd8\xff\xe0 truncated jpeg", "已损坏或无法识别"),
    (image_bytes("PNG")[:8] + image_bytes("JPEG"), "已损坏或无法识别"),  # PNG head, JPEG body
])
def test_wrong_content_is_refused_in_chinese(cast, media, data: bytes, message: str) -> None:
    person = _person(cast)
    before = AuditEvent.objects.count()
    response = _upload(cast.browser("nurse_a"), person, data, name="photo.jpg")
    assert response.status_code == 400
    assert message in response.content.decode()
    person.refresh_from_db()
    assert not person.photo and AuditEvent.objects.count() == before
    assert not any(media.rglob("*.*"))


def test_a_jpeg_named_gif_is_judged_by_content(cast) -> None:
    person = _person(cast)
    response = _upload(cast.browser("nurse_a"), person, image_bytes(), name="x.gif",
                       content_type="image/gif")
    assert response.status_code == 302


def test_oversize_is_refused_before_decoding(cast) -> None:
    person = _person(cast)
    big = image_bytes() + b"\0" * (5 * 1024 * 1024)
    response = _upload(cast.browser("nurse_a"), person, big)
    assert response.status_code == 400 and "不能超过 5 MB" in response.content.decode()
    with pytest.raises(ValidationFailed, match="5 MB"):
        photo_services.normalise(big)


def test_too_many_pixels_is_refused(cast, monkeypatch) -> None:
    monkeypatch.setattr(photo_services, "MAX_PIXELS", 100)
    with pytest.raises(ValidationFailed, match="像素过大"):
        photo_services.normalise(image_bytes(size=(20, 20)))


def test_a_stale_version_is_refused(cast) -> None:
    person = _person(cast)
    client = cast.browser("nurse_a")
    assert _upload(client, person, image_bytes()).status_code == 302
    again = _upload(client, person, image_bytes())  # person.version is the old one
    assert again.status_code == 400 and "已被他人修改" in again.content.decode()


def test_without_a_photo_a_placeholder_is_served(cast) -> None:
    person = _person(cast)
    response = cast.browser("nurse_a").get(reverse("residents:photo_file", args=[person.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize("username", ["nurse_c", "doctor_d", "worker_u"])
def test_other_organisations_get_404_on_both_routes(cast, username: str) -> None:
    person = _person(cast)
    photo_services.set_photo(actor=cast.actor("nurse_a"), person_id=person.pk,
                             version=person.version, file=io.BytesIO(image_bytes()))
    client = cast.browser(username)
    assert client.get(reverse("residents:photo_file", args=[person.pk])).status_code == 404
    assert client.get(reverse("residents:photo", args=[person.pk])).status_code == 404
    person.refresh_from_db()
    assert _upload(client, person, image_bytes()).status_code == 404
    with pytest.raises(NotFound):
        photo_services.set_photo(actor=cast.actor(username), person_id=person.pk,
                                 version=person.version, file=io.BytesIO(image_bytes()))


def test_regulators_see_but_cannot_upload(cast) -> None:
    person = _person(cast)
    client = cast.browser("officer_x")
    assert client.get(reverse("residents:photo_file", args=[person.pk])).status_code == 200
    assert _upload(client, person, image_bytes()).status_code == 404


def test_caregivers_cannot_upload(cast) -> None:
    person = _person(cast)
    assert cast.browser("care_a1").get(reverse("residents:photo", args=[person.pk])) \
        .status_code == 403
    with pytest.raises(Forbidden):
        photo_services.set_photo(actor=cast.actor("care_a1"), person_id=person.pk,
                                 version=person.version, file=io.BytesIO(image_bytes()))


def test_there_is_no_public_media_url(cast, media) -> None:
    person = _person(cast)
    updated = photo_services.set_photo(actor=cast.actor("nurse_a"), person_id=person.pk,
                                       version=person.version, file=io.BytesIO(image_bytes()))
    from yiyang import settings as configured  # the module, not the test's override

    assert configured.MEDIA_ROOT == configured.DATA_DIR / "media"
    for url in (f"/{updated.photo.name}", f"/media/{updated.photo.name}"):
        assert cast.browser("nurse_a").get(url).status_code == 404

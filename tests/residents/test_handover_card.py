"""The care-archive handover card (seed 000 §四): a PDF that prints Chinese with embedded Noto
CJK fonts and no missing glyphs, masks the ID number, shows contact phones in full, is audited,
costs the same number of queries for one resident as for a building, and is 404 elsewhere.

The PDF is checked with poppler (`pdffonts`, `pdftotext`, `pdfinfo`, `pdfimages`), the tools
.ci/run installs; without them those tests skip and say why.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.models import AuditEvent
from yiyang.orgs.models import Bed, Building, Room
from yiyang.residents import handover, services
from yiyang.residents.models import OPEN_STATUSES, HealthProfile, Person, Stay

ID_82_MALE = "410221194403150036"  # worked out by hand in test_stay_services.py
CARE_NEEDS = "协助进食，夜间每两小时巡视一次"
CONTACT_PHONE = "13912345678"


def _poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (Debian poppler-utils; .ci/run installs it)")
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    out = [str(path), "-"] if tool == "pdftotext" else [str(path)]
    return subprocess.run([exe, *args, *out], capture_output=True, text=True, check=True).stdout


def _fonts(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """`pdffonts` rows as {name, emb, uni}; the type column has spaces, so read from the right."""
    lines = _poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        rows.append({"name": parts[0], "emb": parts[-5], "uni": parts[-3]})
    return rows


def _pages(pdf: bytes, tmp_path: Path) -> int:
    info = _poppler("pdfinfo", pdf, tmp_path)
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def _notdef(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("weasyprint") and ".notdef" in r.getMessage()]


def _building(home, name: str, beds: int) -> list[Bed]:  # type: ignore[no-untyped-def]
    building = Building.objects.create(home=home, name=name, region_code=home.region_code)
    room = Room.objects.create(home=home, building=building, number="101",
                               region_code=home.region_code)
    return [Bed.objects.create(home=home, room=room, label=str(i + 1),
                               region_code=home.region_code) for i in range(beds)]


def _resident(cast, bed: Bed, name: str = "曾堃", id_number: str = ID_82_MALE) -> Person:  # type: ignore[no-untyped-def]
    """A resident of home A with a filled care archive."""
    stay = services.admit_resident(actor=cast.actor("admin_a"), home_id=bed.home_id,
                                   bed_id=bed.pk, name=name, id_number=id_number)
    person, nurse = stay.person, cast.actor("nurse_a")
    profile = HealthProfile.objects.get(person=person)
    services.update_profile(actor=nurse, person_id=person.pk, version=profile.version,
                            care_needs=CARE_NEEDS, allergies="青霉素过敏",
                            service_cautions="防跌倒，起床需搀扶", diet="低盐低脂，软食",
                            current_medicines="氨氯地平片 5mg 每日一次",
                            designated_hospital="杞县人民医院", disability_level="2")
    services.record_condition(actor=nurse, person_id=person.pk, code="HTN", status="unstable",
                              judged_on=timezone.localdate(), judged_by="李医生")
    services.add_contact(actor=nurse, person_id=person.pk, kind="emergency", name="曾丽",
                         relation="女儿", phone=CONTACT_PHONE)
    return person


def _free_bed(home) -> Bed:  # type: ignore[no-untyped-def]
    return (Bed.objects.filter(home=home, is_active=True)
            .exclude(stays__status__in=OPEN_STATUSES).first())


def test_card_prints_chinese_with_embedded_noto_cjk_and_masks_the_id(
        cast, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    person = _resident(cast, _free_bed(cast.home_of("nurse_a")))
    caplog.set_level(logging.WARNING, logger="weasyprint")
    response = cast.browser("nurse_a").get(reverse("residents:handover_card", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert f"filename*=UTF-8''{quote('交接卡-曾堃-')}" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF")

    fonts = _fonts(pdf, tmp_path)
    assert any("Noto-Sans-CJK-SC" in f["name"] for f in fonts), fonts
    # Every glyph came from an embedded Noto CJK face: no fallback font, no system font
    # reference, and a ToUnicode map so the text can be searched and copied.
    assert all("CJK" in f["name"] and f["emb"] == "yes" and f["uni"] == "yes"
               for f in fonts), fonts
    assert _notdef(caplog) == [], "a character printed as a box"

    text = _poppler("pdftotext", pdf, tmp_path)
    for expected in ("曾堃", "照护档案交接卡", CARE_NEEDS, "青霉素过敏", "高血压（不稳定）",
                     "杞县人民医院", CONTACT_PHONE, "410221********0036"):
        assert expected in text, expected
    assert ID_82_MALE not in text
    assert _pages(pdf, tmp_path) == 1


def test_a_character_no_font_has_is_caught(caplog: pytest.LogCaptureFixture) -> None:
    """The check above can fail: an unassigned code point prints as .notdef and is reported."""
    caplog.set_level(logging.WARNING)
    card = handover.Card(
        person_id=0, name="王\u0378", sex="男", age=80, birth_date=timezone.localdate(),
        id_label="居民身份证", id_masked="", ethnicity="汉族", home="测试", location="—",
        status="在院", admitted_on=None, photo="", category="", category_label="—", band="",
        allergies="无", diet="普通饮食", disability="能力完好")
    assert handover.render_pdf([card], title="probe").startswith(b"%PDF")
    assert _notdef(caplog), "WeasyPrint reports the missing glyph"
    # Logged again as an error by the shared renderer, naming the document.
    assert any(r.name == "yiyang.core.pdf" and r.levelno == logging.ERROR
               and "handover card" in r.getMessage() for r in caplog.records)


def test_printing_a_card_is_audited(cast) -> None:
    person = _resident(cast, _free_bed(cast.home_of("nurse_a")))
    before = AuditEvent.objects.filter(action=handover.AUDIT_ACTION).count()
    cast.browser("nurse_a").get(reverse("residents:handover_card", args=[person.pk]))
    event = AuditEvent.objects.filter(action=handover.AUDIT_ACTION).latest("id")
    assert AuditEvent.objects.filter(action=handover.AUDIT_ACTION).count() == before + 1
    assert event.username == "nurse_a" and event.object_type == "residents.person"
    assert event.object_id == str(person.pk) and event.object_org_id == person.org_id
    assert event.changes["persons"] == [person.pk]
    assert ID_82_MALE not in str(event.changes) and CONTACT_PHONE not in str(event.changes)
    assert audit.label_of(handover.AUDIT_ACTION) == "打印交接卡"


def test_building_card_has_one_page_per_resident_in_a_fixed_number_of_queries(
        cast, tmp_path: Path) -> None:
    home = cast.home_of("nurse_a")
    beds = _building(home, "交接测试楼", 3)
    actor = cast.actor("nurse_a")
    building_id = beds[0].room.building_id

    _resident(cast, beds[0])
    with CaptureQueriesContext(connection) as one:
        single = handover.export_building(actor=actor, building_id=building_id)
    _resident(cast, beds[1], name="单春生", id_number="11010519491231002X")
    _resident(cast, beds[2], name="解明", id_number="110105195001010012")
    with CaptureQueriesContext(connection) as three:
        triple = handover.export_building(actor=actor, building_id=building_id)

    assert len(one) == len(three), [q["sql"][:80] for q in three.captured_queries]
    assert single.count == 1 and triple.count == 3
    assert _pages(single.pdf, tmp_path) == 1
    assert _pages(triple.pdf, tmp_path) == 3
    text = _poppler("pdftotext", triple.pdf, tmp_path)
    assert all(name in text for name in ("曾堃", "单春生", "解明"))
    assert triple.filename.startswith("交接卡-交接测试楼-")


def test_building_route_prints_every_resident_of_the_building_and_audits(
        cast, tmp_path: Path) -> None:
    home = cast.home_of("nurse_a")
    stay = (Stay.objects.filter(home=home, status__in=OPEN_STATUSES, bed__isnull=False)
            .select_related("bed__room").first())
    building_id = stay.bed.room.building_id
    residents = Stay.objects.filter(status__in=OPEN_STATUSES,
                                    bed__room__building_id=building_id).count()
    response = cast.browser("nurse_a").get(
        reverse("residents:building_handover", args=[building_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert _pages(response.content, tmp_path) == residents
    event = AuditEvent.objects.filter(action=handover.AUDIT_ACTION).latest("id")
    assert event.object_type == "orgs.building" and event.object_id == str(building_id)
    assert event.changes["count"] == residents and stay.person_id in event.changes["persons"]


def test_an_empty_building_answers_400_in_chinese_and_audits_nothing(cast) -> None:
    beds = _building(cast.home_of("nurse_a"), "空楼", 2)
    before = AuditEvent.objects.count()
    response = cast.browser("nurse_a").get(
        reverse("residents:building_handover", args=[beds[0].room.building_id]))
    assert response.status_code == 400
    assert "空楼目前没有在住老人" in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("username", ["nurse_c", "doctor_d"])
def test_other_organisations_get_404_on_both_cards(cast, username: str) -> None:
    person = _resident(cast, _free_bed(cast.home_of("nurse_a")))
    building_id = Stay.objects.get(person=person, status__in=OPEN_STATUSES).bed.room.building_id
    before = AuditEvent.objects.count()
    client = cast.browser(username)
    assert client.get(reverse("residents:handover_card", args=[person.pk])).status_code == 404
    assert client.get(reverse("residents:building_handover",
                              args=[building_id])).status_code == 404
    assert AuditEvent.objects.count() == before


def test_photo_comes_from_storage_not_a_url(cast, settings, tmp_path: Path) -> None:
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path / "media")
    person = _resident(cast, _free_bed(cast.home_of("nurse_a")))
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 120, 90)).save(buffer, format="PNG")
    person.photo.save("zeng.png", ContentFile(buffer.getvalue()))
    export = handover.export_person(actor=cast.actor("nurse_a"), person_id=person.pk)
    assert "data:image/png;base64," in handover.render_html(
        handover.person_cards(cast.actor("nurse_a"), person.pk)[1], title="t")
    images = _poppler("pdfimages", export.pdf, tmp_path, "-list").splitlines()[2:]
    assert len(images) == 1


def test_pages_link_to_the_cards(cast) -> None:
    person = _resident(cast, _free_bed(cast.home_of("nurse_a")))
    client = cast.browser("nurse_a")
    page = client.get(reverse("residents:detail", args=[person.pk])).content.decode()
    assert reverse("residents:handover_card", args=[person.pk]) in page and "打印交接卡" in page
    board = client.get(reverse("residents:bed_board")).content.decode()
    building_id = Stay.objects.get(person=person, status__in=OPEN_STATUSES).bed.room.building_id
    assert reverse("residents:building_handover", args=[building_id]) in board
    assert "打印本楼交接卡" in board

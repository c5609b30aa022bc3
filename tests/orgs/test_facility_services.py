"""Buildings, rooms and beds: permission, validation in Chinese, audit, versions."""

from __future__ import annotations

import pytest

from yiyang.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.orgs import services
from yiyang.orgs.models import Bed, Building, Room
from yiyang.residents.models import StayEventRecord


def _counts() -> tuple[int, int, int, int]:
    return (
        Building.objects.count(),
        Room.objects.count(),
        Bed.objects.count(),
        AuditEvent.objects.count(),
    )


def test_manager_builds_a_building_room_and_beds_with_audit(cast) -> None:
    actor = cast.actor("admin_a")
    building = services.create_building(
        actor=actor, home_id=actor.org_id, name="试验新楼", floors=3, is_independent=True
    )
    room = services.create_room(actor=actor, building_id=building.pk, number="301", floor=3, beds=3)
    assert building.region_code == cast.home_of("admin_a").region_code
    assert sorted(room.beds.values_list("label", flat=True)) == ["1", "2", "3"]
    bed = services.create_bed(actor=actor, room_id=room.pk, label="加1")
    assert bed.home_id == actor.org_id
    events = AuditEvent.objects.filter(username="admin_a").values_list("action", flat=True)
    assert {"orgs.building.create", "orgs.room.create", "orgs.bed.create"} <= set(events)
    created = AuditEvent.objects.get(action="orgs.building.create", object_id=str(building.pk))
    assert created.changes["name"] == [None, "试验新楼"]
    assert created.object_org_id == actor.org_id


@pytest.mark.parametrize(
    ("kwargs", "code", "words"),
    [
        ({"name": "  "}, "required", "请填写楼栋名称"),
        ({"name": "x" * 41}, "too_long", "不能超过 40 个字"),
        ({"name": "新楼", "floors": 0}, "out_of_range", "楼层数应在 1 到 60 之间"),
        ({"name": "新楼", "floors": "三"}, "not_a_number", "楼层数应为整数"),
    ],
)
def test_bad_building_input_gets_a_chinese_message_and_writes_nothing(cast, kwargs, code, words):
    actor = cast.actor("admin_a")
    before = _counts()
    with pytest.raises(ValidationFailed) as err:
        services.create_building(actor=actor, home_id=actor.org_id, **kwargs)
    assert err.value.code == code
    assert words in err.value.message
    assert _counts() == before


def test_duplicate_bed_is_refused_and_nothing_is_written(cast) -> None:
    actor = cast.actor("admin_a")
    bed = Bed.objects.filter(home_id=actor.org_id).select_related("room").first()
    before = _counts()
    with pytest.raises(ValidationFailed) as err:
        services.create_bed(actor=actor, room_id=bed.room_id, label=bed.label)
    assert err.value.code == "duplicate_bed"
    assert f"已有 {bed.label} 号床" in err.value.message
    assert _counts() == before


def test_single_room_takes_one_bed_only(cast) -> None:
    actor = cast.actor("admin_a")
    building = Building.objects.filter(home_id=actor.org_id).first()
    room = services.create_room(
        actor=actor, building_id=building.pk, number="S-1", is_single=True, beds=1
    )
    with pytest.raises(ValidationFailed, match="单人间只能设置一张床位"):
        services.create_bed(actor=actor, room_id=room.pk, label="2")


def test_stale_version_is_refused_and_the_newer_save_survives(cast) -> None:
    actor = cast.actor("admin_a")
    building = Building.objects.filter(home_id=actor.org_id).first()
    first_version = building.version
    services.update_building(
        actor=actor, building_id=building.pk, version=first_version, note="第一位护士的修改"
    )
    with pytest.raises(Conflict) as err:
        services.update_building(
            actor=actor, building_id=building.pk, version=first_version, note="第二位护士的修改"
        )
    assert err.value.status == 409
    building.refresh_from_db()
    assert building.note == "第一位护士的修改"
    assert building.version == first_version + 1


def test_nurse_without_the_permission_is_forbidden(cast) -> None:
    actor = cast.actor("nurse_a")
    before = _counts()
    with pytest.raises(Forbidden):
        services.create_building(actor=actor, home_id=actor.org_id, name="违规楼")
    assert _counts() == before


def test_another_home_cannot_write_into_home_a(cast) -> None:
    home_a = cast.home_of("nurse_a")
    room = Room.objects.filter(home=home_a).first()
    for username in ("nurse_c", "officer_x", "doctor_b"):
        with pytest.raises(NotFound):
            services.create_bed(actor=cast.actor(username), room_id=room.pk, label="X")
        with pytest.raises(NotFound):
            services.create_building(actor=cast.actor(username), home_id=home_a.pk, name="X")


def test_deleting_a_building_with_rooms_is_refused(cast) -> None:
    actor = cast.actor("admin_a")
    building = Building.objects.filter(home_id=actor.org_id, rooms__isnull=False).first()
    with pytest.raises(DomainError, match="请先删除房间"):
        services.delete_building(actor=actor, building_id=building.pk)
    assert Building.objects.filter(pk=building.pk).exists()


def test_a_bed_with_history_cannot_be_deleted(cast) -> None:
    actor = cast.actor("admin_a")
    bed = Bed.objects.filter(home_id=actor.org_id, stays__isnull=False).first()
    with pytest.raises(DomainError, match="床位有入住记录"):
        services.delete_bed(actor=actor, bed_id=bed.pk)
    assert Bed.objects.filter(pk=bed.pk).exists()


def test_delete_empty_bed_is_audited(cast) -> None:
    actor = cast.actor("admin_a")
    # A bed nobody ever used: no stay, and no move or admission event naming it.
    used = StayEventRecord.objects.values_list("from_bed_id", "to_bed_id")
    ever = {b for pair in used for b in pair if b}
    bed = Bed.objects.filter(home_id=actor.org_id, stays__isnull=True).exclude(
        pk__in=ever).first()
    services.delete_bed(actor=actor, bed_id=bed.pk)
    assert not Bed.objects.filter(pk=bed.pk).exists()
    assert AuditEvent.objects.filter(action="orgs.bed.delete", object_id=str(bed.pk)).exists()

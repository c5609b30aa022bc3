"""Admission to discharge and death: one open stay, free beds, timeline, audit, classification."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.orgs.models import Bed
from yiyang.residents import services
from yiyang.residents.models import KeyPopulationRecord, Person, Stay, StayEventRecord

# Built by hand from GB 11643: 410221 + 19440315 + 003 (odd: male) + check.
# Σ(d·w) over 41022119440315003 with W=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
# = 28+9+0+10+16+4+2+9+24+12+0+27+10+25+0+0+6 = 182; 182 mod 11 = 6 → "10X98765432"[6] = "6".
ID_82_MALE = "410221194403150036"


def free_bed(home_id: int) -> Bed:
    taken = Stay.objects.filter(status__in=["in_residence", "on_leave", "in_hospital"],
                                bed__isnull=False).values_list("bed_id", flat=True)
    return Bed.objects.filter(home_id=home_id, is_active=True).exclude(pk__in=taken).first()


def admit(cast, username: str = "admin_a", **overrides):  # type: ignore[no-untyped-def]
    actor = cast.actor(username)
    data = {"name": "单春生", "id_number": ID_82_MALE, "phone": "13700001111",
            "address": "杞县五里河镇", "bed_id": free_bed(actor.org_id).pk}
    return services.admit_resident(actor=actor, home_id=actor.org_id, **{**data, **overrides})


def test_admission_derives_identity_from_the_id_number_and_classifies(cast) -> None:
    stay = admit(cast)
    person = stay.person
    assert (person.sex, person.birth_date) == ("M", date(1944, 3, 15))
    assert "shanchunsheng" in person.pinyin.split() and "dcs" in person.initials.split()
    record = KeyPopulationRecord.objects.get(person=person, is_current=True)
    # 80+ with no disease and no vaccination: table has no row → score 2+0+2 = 4 → red.
    assert (record.band, record.category, record.basis, record.score) == ("80-89", "red",
                                                                          "score", 4)
    assert StayEventRecord.objects.filter(stay=stay, event="admit").count() == 1
    actions = set(AuditEvent.objects.filter(username="admin_a").values_list("action", flat=True))
    assert {"residents.person.register", "residents.stay.admit", "residents.classify"} <= actions


def test_a_person_has_one_open_stay_anywhere(cast) -> None:
    admit(cast)
    with pytest.raises(ValidationFailed) as err:
        admit(cast)
    assert err.value.code == "already_admitted"
    with pytest.raises(ValidationFailed) as elsewhere:
        admit(cast, "admin_c")
    assert elsewhere.value.code == "person_elsewhere"


def test_a_taken_bed_is_refused(cast) -> None:
    stay = admit(cast)
    before = Person.objects.count()
    with pytest.raises(ValidationFailed, match="已有人入住"):
        admit(cast, id_number="11010519491231002X", name="赵英", bed_id=stay.bed_id)
    assert Person.objects.count() == before


def test_bad_id_number_is_a_chinese_error_and_writes_nothing(cast) -> None:
    before = (Person.objects.count(), Stay.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as err:
        admit(cast, id_number="410221194403150031")
    assert err.value.field == "id_number" and "校验码" in err.value.message
    assert (Person.objects.count(), Stay.objects.count(), AuditEvent.objects.count()) == before


def test_leave_hospital_move_discharge_free_the_bed(cast) -> None:
    actor = cast.actor("admin_a")
    stay = admit(cast, admitted_on=timezone.localdate() - timedelta(days=30))
    stay = services.change_stay(actor=actor, stay_id=stay.pk, event="leave", version=stay.version)
    stay = services.change_stay(actor=actor, stay_id=stay.pk, event="return_from_leave",
                                version=stay.version)
    new_bed = free_bed(actor.org_id)
    stay = services.change_stay(actor=actor, stay_id=stay.pk, event="move_bed",
                                version=stay.version, bed_id=new_bed.pk)
    assert stay.bed_id == new_bed.pk
    with pytest.raises(ValidationFailed, match="去向"):
        services.change_stay(actor=actor, stay_id=stay.pk, event="hospital_transfer",
                             version=stay.version)
    stay = services.change_stay(actor=actor, stay_id=stay.pk, event="hospital_transfer",
                                version=stay.version, destination="杞县人民医院")
    stay = services.change_stay(actor=actor, stay_id=stay.pk, event="discharge",
                                version=stay.version)
    assert (stay.status, stay.bed_id, stay.ended_on) == ("discharged", None,
                                                          timezone.localdate())
    events = list(StayEventRecord.objects.filter(stay=stay).values_list("event", flat=True))
    assert events == ["admit", "leave", "return_from_leave", "move_bed", "hospital_transfer",
                      "discharge"]
    with pytest.raises(ValidationFailed, match="不能办理"):
        services.change_stay(actor=actor, stay_id=stay.pk, event="leave", version=stay.version)


def test_death_then_certificate_once(cast) -> None:
    actor = cast.actor("admin_a")
    stay = admit(cast)
    stay = services.change_stay(actor=actor, stay_id=stay.pk, event="death", version=stay.version)
    stay = services.change_stay(actor=actor, stay_id=stay.pk, event="death_certificate",
                                version=stay.version, certificate_no="豫A2026-00123")
    assert stay.death_certificate_no == "豫A2026-00123"
    with pytest.raises(ValidationFailed, match="已登记过"):
        services.change_stay(actor=actor, stay_id=stay.pk, event="death_certificate",
                             version=stay.version, certificate_no="again")


def test_condition_and_vaccination_reclassify(cast) -> None:
    actor = cast.actor("nurse_a")
    stay = admit(cast)
    person_id = stay.person_id
    services.record_condition(actor=actor, person_id=person_id, code="HTN", status="stable",
                              judged_on=timezone.localdate(), judged_by="叶春梅")
    for dose in (1, 2):
        services.record_vaccination(actor=actor, person_id=person_id, kind="dose",
                                    product="新冠病毒灭活疫苗（Vero细胞）", dose_number=dose,
                                    given_on=timezone.localdate())
    current = KeyPopulationRecord.objects.get(person_id=person_id, is_current=True)
    # ≥ 80, stable disease, full course: row Y2 → yellow.
    assert (current.category, current.basis, current.disease, current.vaccination) == (
        "yellow", "Y2", "stable", "full")
    assert KeyPopulationRecord.objects.filter(person_id=person_id).count() >= 2


def test_other_homes_and_roles_cannot_touch_the_stay(cast) -> None:
    stay = admit(cast)
    for username in ("nurse_c", "doctor_d", "officer_x"):
        with pytest.raises(NotFound):
            services.change_stay(actor=cast.actor(username), stay_id=stay.pk, event="leave",
                                 version=stay.version)
    with pytest.raises(Forbidden):
        services.change_stay(actor=cast.actor("care_a1"), stay_id=stay.pk, event="leave",
                             version=stay.version)

"""Rows for the Excel exports, read through `visible_to(actor)` in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch

from yiyang.core.masking import mask_id_number
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Actor
from yiyang.orgs.models import NursingHome
from yiyang.residents import queries
from yiyang.residents.models import (
    OPEN_STATUSES,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
)
from yiyang.residents.rules import BAND_LABELS, Category, DiseaseStatus, VaccinationStatus

# value → label, as the workbook's choice columns show them
_LABEL = {"sex": dict(Person.Sex.choices), "doc": dict(Person.Document.choices),
          "disability": dict(HealthProfile.Disability.choices)}


def resident_rows(actor: Actor, home_id: int) -> list[dict[str, Any]]:
    """Residents in an open stay at the home, keyed like `resident_columns.COLUMNS`."""
    stays = (Stay.objects.visible_to(actor)
             .filter(home_id=home_id, status__in=OPEN_STATUSES)
             .select_related("person__profile", "bed__room__building")
             .prefetch_related(Prefetch(
                 "person__contacts", to_attr="emergency",
                 queryset=Contact.objects.visible_to(actor).order_by("kind", "id")))
             .order_by("bed__room__building__name", "bed__room__number", "bed__label"))
    rows = []
    for stay in stays:
        p, profile = stay.person, getattr(stay.person, "profile", None)
        contact = next((c for c in p.emergency if c.kind == Contact.Kind.EMERGENCY),
                       p.emergency[0] if p.emergency else None)
        bed = stay.bed
        rows.append({
            "name": p.name, "document_type": _LABEL["doc"].get(p.document_type, ""),
            "id_number": p.id_number, "sex": _LABEL["sex"].get(p.sex, ""),
            "birth_date": p.birth_date, "ethnicity": p.ethnicity, "phone": p.phone,
            "address": p.address,
            "building": bed.room.building.name if bed else "",
            "room": bed.room.number if bed else "", "bed": bed.label if bed else "",
            "admitted_on": stay.admitted_on,
            "disability_level": _LABEL["disability"].get(profile.disability_level, "")
            if profile else "",
            "disability_certificate_no": profile.disability_certificate_no if profile else "",
            "allergies": profile.allergies if profile else "",
            "diet": profile.diet if profile else "",
            "designated_hospital": profile.designated_hospital if profile else "",
            "contact_name": contact.name if contact else "",
            "contact_relation": contact.relation if contact else "",
            "contact_phone": contact.phone if contact else "",
        })
    return rows


REGISTER_HEADERS = ("养老机构", "姓名", "性别", "证件号码", "年龄", "年龄段", "残疾/失能",
                    "基础疾病", "疫苗接种", "分类", "分类依据", "分类日期",
                    "楼栋", "房间号", "床号")


def register_sheets(actor: Actor, *, full_ids: bool) -> list[tuple[str, Sequence[str], list]]:
    """[summary sheet, list sheet] of the register as the actor sees it."""
    home_id = actor.org_id if actor.org_kind == OrgKind.HOME else None
    counts = queries.register_counts(actor, home_id)
    summary = []
    for band, label in BAND_LABELS.items():
        cells = [counts.get((band.value, c.value), 0) for c in Category]
        summary.append([label, *cells, sum(cells)])
    summary.append(["合计", *[sum(r[i + 1] for r in summary) for i in range(len(Category))],
                    sum(r[-1] for r in summary)])
    people = list(queries.register(actor, home_id=home_id).order_by("stay_home_id", "pinyin"))
    records = {r.person_id: r for r in KeyPopulationRecord.objects.visible_to(actor)
               .filter(is_current=True, person_id__in=[p.pk for p in people])}
    homes = dict(NursingHome.objects.filter(pk__in={p.stay_home_id for p in people})
                 .values_list("pk", "name"))
    sexes = _LABEL["sex"]
    diseases = {d.value: d.label for d in DiseaseStatus}
    vaccinations = {v.value: v.label for v in VaccinationStatus}
    categories = {c.value: c.label for c in Category}
    rows = []
    for p in people:
        r = records.get(p.pk)
        if r is None:
            continue
        rows.append([homes.get(p.stay_home_id, ""), p.name, sexes.get(p.sex, ""),
                     p.id_number if full_ids else mask_id_number(p.id_number), r.age,
                     BAND_LABELS.get(r.band, r.band), "是" if r.has_disability else "否",
                     diseases.get(r.disease, r.disease),
                     vaccinations.get(r.vaccination, r.vaccination),
                     categories.get(r.category, r.category),
                     "评分" if r.basis == "score" else f"表 {r.basis}", r.classified_on,
                     p.building_name or "", p.room_number or "", p.bed_label or ""])
    return [("汇总", ("年龄段", *[c.label for c in Category], "合计"), summary),
            ("名单", REGISTER_HEADERS, rows)]

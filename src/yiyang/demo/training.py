"""Demo staff training (seed 002 §五) and TCM techniques offered (§十一).

* **Trainings** over the last year and a half for homes A and C and the medical institutions
  med_b (五里河卫生院) and med_d (通许县中医院), with some staff untrained in the last 12 months:
  home A 3 of its 4 managers/professionals (nurse_a2's last training is 14 months old), home C
  1 of 3, med_b 2 of 4, med_d 3 of 3. Caregivers attend too (they are not in the denominator).
* **TCM techniques**: home A offers 6 items of 5 types (meets 4类6项) and stopped one; home C
  offers 3 items of 2 types (does not); home E has a nursing station and no technique
  registered (counts 0 of 1); med_d registers its own (not in the homes' indicator).

Written through the services (checked and audited); deterministic (fixed offsets from today,
a seeded `random.Random` for the hours) and idempotent (returns 0 when a course exists).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from yiyang.compliance import training_rules as tr
from yiyang.compliance import training_services as services
from yiyang.compliance.models import TcmTechnique, TrainingAttendance, TrainingCourse
from yiyang.core.permissions import OrgKind
from yiyang.core.scope import Actor
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership, Organisation

__all__ = ["build_demo_training", "generate_scale"]

_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0"
        b"/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# (recording account, title, kind, organiser, days ago, attendees' usernames, certificate)
_COURSES = (
    ("nurse_a", "老年常见病防治与合理用药培训", "geriatrics", "杞县卫生健康委员会", 200,
     ("admin_a", "nurse_a", "hdoc_a", "care_a1"), False),
    ("nurse_a", "医养结合服务规范与质量管理培训", "integrated", "开封市卫生健康委员会", 45,
     ("nurse_a", "hdoc_a", "care_a2"), True),
    ("nurse_a", "养老护理员职业技能提升培训", "eldercare", "杞县民政局", 425,
     ("nurse_a2", "care_a1", "care_a3"), False),
    ("nurse_c", "失能老年人长期照护知识培训", "long_term", "通许县民政局", 90,
     ("nurse_c", "care_c1"), True),
    ("nurse_c", "医养结合机构感染防控培训", "integrated", "通许县卫生健康委员会", 500,
     ("admin_c", "hdoc_c"), False),
    ("admin_med_b", "基层医务人员老年医学继续教育", "continuing", "开封市卫生健康委员会", 120,
     ("admin_med_b", "doctor_b"), False),
    ("admin_med_d", "中医适宜技术推广应用培训", "continuing", "河南省中医药管理局", 60,
     ("admin_med_d", "doctor_d", "agree_d"), True),
)

# (recording account, technique, days since started, days since stopped or None, performers)
_TECHNIQUES = (
    ("nurse_a", "moxa", 400, None, ("hdoc_a", "nurse_a")),
    ("nurse_a", "auricular_press", 380, None, ("hdoc_a",)),
    ("nurse_a", "tuina", 300, None, ("hdoc_a", "nurse_a2")),
    ("nurse_a", "acupressure", 300, None, ("nurse_a",)),
    ("nurse_a", "gua_sha", 250, None, ("hdoc_a",)),
    ("nurse_a", "acupoint_plaster", 150, None, ("nurse_a", "nurse_a2")),
    ("nurse_a", "fire_cupping", 350, 40, ("hdoc_a",)),
    ("nurse_c", "moxa", 200, None, ("hdoc_c",)),
    ("nurse_c", "acupoint_plaster", 200, None, ("nurse_c",)),
    ("nurse_c", "herbal_fumigation", 100, None, ("nurse_c",)),
    ("admin_med_d", "needling", 900, None, ("doctor_d",)),
    ("admin_med_d", "electro_acupuncture", 900, None, ("doctor_d",)),
    ("admin_med_d", "moxa", 900, None, ("doctor_d",)),
    ("admin_med_d", "tuina", 900, None, ()),
    ("admin_med_d", "fire_cupping", 900, None, ()),
    ("admin_med_d", "herbal_fumigation", 600, None, ()),
    ("admin_med_d", "reduction", 600, None, ()),
)


def _actor(username: str) -> Actor:
    return actor_for(Membership.objects.select_related("org", "user")
                     .get(user__username=username, is_active=True))


def _members(org_id: int, usernames: tuple[str, ...]) -> list[int]:
    return list(Membership.objects.filter(org_id=org_id, user__username__in=usernames,
                                          is_active=True).values_list("pk", flat=True))


def build_demo_training() -> int:
    if TrainingCourse.objects.exists() or TcmTechnique.objects.exists():
        return 0
    rng = random.Random(20261205)
    today = timezone.localdate()
    made = 0
    for username, title, kind, organiser, ago, attendees, certificate in _COURSES:
        actor = _actor(username)
        services.record_training(
            actor=actor, title=title, kind=kind, organiser=organiser,
            held_on=today - timedelta(days=ago), hours=rng.choice((4, 6, 8, 12, 16)),
            attendee_ids=_members(actor.org_id, attendees),
            note=f"{organiser}组织，{title}，含理论授课和现场实操。",
            certificate=SimpleUploadedFile("signin.pdf", _PDF, content_type="application/pdf")
            if certificate else None)
        made += 1
    for username, code, since, stopped, performers in _TECHNIQUES:
        actor = _actor(username)
        row = services.add_technique(actor=actor, technique=code,
                                     started_on=today - timedelta(days=since),
                                     performer_ids=_members(actor.org_id, performers))
        made += 1
        if stopped is not None:
            services.stop_technique(actor=actor, technique_id=row.pk, version=row.version,
                                    stopped_on=today - timedelta(days=stopped))
    return made


# ---- province scale (`yiyang gen`) ---------------------------------------------------------

_GEN_TITLES = ("老年医学能力提升培训", "医养结合服务规范培训", "养老护理技能培训",
               "长期照护知识培训", "医务人员继续教育", "消防与应急处置培训")
_GEN_ORGANISERS = ("县卫生健康委员会", "县民政局", "市卫生健康委员会", "本机构")


def generate_scale(org_ids: Sequence[int] | None = None, *, seed: str = "yiyang-gen-training",
                   today: date | None = None) -> dict[str, int]:
    """Bulk rows for the province-scale bench (a load generator like the rest of `yiyang gen`:
    it writes models directly, bypassing the services). For each active home and medical
    institution with staff (or those named): 1–4 trainings in the last 18 months, each attended
    by 30–90 % of its active staff; for each home with an internal medical unit
    (`has_medical_unit` or an accepted filing): 2–9 catalogue techniques, one in ten stopped.
    Deterministic for the same database and seed; run it after the staff exist."""
    from yiyang.compliance.indicators.training import _eligible_homes

    rng = random.Random(seed)
    today = today or timezone.localdate()
    orgs = Organisation.objects.filter(kind__in=[OrgKind.HOME, OrgKind.MEDICAL], is_active=True)
    if org_ids is not None:
        orgs = orgs.filter(pk__in=list(org_ids))
    staff: dict[int, list[int]] = defaultdict(list)
    for mid, org_id in (Membership.objects.filter(org__in=orgs, is_active=True)
                        .order_by("org_id", "id").values_list("id", "org_id")):
        staff[org_id].append(mid)
    rows = list(orgs.order_by("id").values_list("id", "region_code"))
    eligible = set(_eligible_homes(org_ids, today).values_list("pk", flat=True))
    kinds = [k for k, _ in tr.TRAINING_KINDS]
    items = sorted(tr.TCM_CATALOGUE)
    courses: list[TrainingCourse] = []
    attendees: list[list[int]] = []
    techniques: list[TcmTechnique] = []
    for org_id, region in rows:
        members = staff.get(org_id, [])
        for _ in range(rng.randint(1, 4) if members else 0):
            courses.append(TrainingCourse(
                org_id=org_id, region_code=region, title=rng.choice(_GEN_TITLES),
                kind=rng.choice(kinds), organiser=rng.choice(_GEN_ORGANISERS),
                held_on=today - timedelta(days=rng.randrange(540)),
                hours=Decimal(rng.choice((2, 4, 6, 8, 16))), recorded_by="gen"))
            share = rng.uniform(0.3, 0.9)
            attendees.append(rng.sample(members, max(1, round(len(members) * share))))
        if org_id in eligible:
            for code in rng.sample(items, rng.randint(2, 9)):
                started = today - timedelta(days=rng.randrange(30, 1000))
                stopped = (started + timedelta(days=rng.randrange(1, 25))
                           if rng.random() < 0.1 else None)
                techniques.append(TcmTechnique(
                    org_id=org_id, region_code=region, technique=code,
                    category=tr.TCM_CATALOGUE[code].type_code, started_on=started,
                    stopped_on=stopped, recorded_by="gen"))
    with transaction.atomic():
        made = TrainingCourse.objects.bulk_create(courses, batch_size=2000)
        links = [TrainingAttendance(course_id=c.pk, membership_id=m)
                 for c, members in zip(made, attendees, strict=True) for m in members]
        TrainingAttendance.objects.bulk_create(links, batch_size=5000)
        TcmTechnique.objects.bulk_create(techniques, batch_size=2000)
    return {"trainings": len(made), "attendances": len(links), "tcm_techniques": len(techniques)}

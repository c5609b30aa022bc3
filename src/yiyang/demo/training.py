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
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yiyang.compliance import training_services as services
from yiyang.compliance.models import TcmTechnique, TrainingCourse
from yiyang.core.scope import Actor
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership

__all__ = ["build_demo_training"]

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

"""Demo Excel imports: home A's registrar uploaded a batch of new residents three weeks ago,
got the file back with two bad rows (one resident entered twice, a room that does not exist),
fixed it and imported it. Both jobs run through the real pipeline."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from yiyang.core.models import AuditEvent
from yiyang.demo import people
from yiyang.interop import services, workbooks
from yiyang.interop.models import ImportJob
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership
from yiyang.residents import bulk_admission, queries

KEEP_FREE = 8  # leave beds for visitors who want to try admission by hand


def build_demo_imports(*, seed: str = "yiyang-demo-imports") -> int:
    """Returns the number of residents imported (0 when the demo already has imports)."""
    if ImportJob.objects.exists():
        return 0
    membership = (Membership.objects.select_related("org__region", "user")
                  .filter(user__username="admin_a", is_active=True).first())
    if membership is None:
        return 0
    actor = actor_for(membership, ip="10.41.2.15")
    free = queries.free_beds(actor, actor.org_id)
    beds = free[: max(0, min(4, len(free) - KEEP_FREE))]
    if not beds:
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    admitted = today - timedelta(days=22)
    taken: set[str] = set()
    rows = []
    for bed in beds:
        sex = rng.choice("MF")
        age = rng.randint(72, 93)
        born = people.birth_date(rng, age, today)
        rows.append({
            "name": people.person_name(rng, sex),
            "id_number": people.id_number(rng, "410221", born, sex, taken),
            "building": bed.room.building.name, "room": bed.room.number, "bed": bed.label,
            "admitted_on": admitted, "phone": "", "address": "河南省开封市杞县",
            "disability_level": rng.choice(["轻度失能", "中度失能", "能力完好"]),
            "contact_name": people.young_name(rng, rng.choice("MF")),
            "contact_relation": rng.choice(["儿子", "女儿", "侄子"]),
            "contact_phone": people.mobile(rng)})
    twice = {**rows[0], "room": rows[-1]["room"]}
    sex = rng.choice("MF")
    nowhere = {**rows[0], "name": people.person_name(rng, sex), "room": "999",
               "id_number": people.id_number(rng, "410221", people.birth_date(rng, 80, today),
                                             sex, taken)}
    data = workbooks.residents_workbook([*rows, twice, nowhere])
    rejected = services.import_now(actor=actor, file_name="10月新入住老人.xlsx", data=data)
    done = services.import_now(actor=actor, file_name="10月新入住老人（已更正）.xlsx",
                               data=workbooks.residents_workbook(rows))
    # Date both jobs back to the afternoon they were done, with their audit rows.
    when = timezone.now() - timedelta(days=21, hours=3)
    for offset, job in enumerate((rejected, done)):
        at = when + timedelta(minutes=25 * offset)
        ImportJob.objects.filter(pk=job.pk).update(created_at=at, updated_at=at, started_at=at,
                                                   finished_at=at + timedelta(seconds=4))
    AuditEvent.objects.filter(action__startswith="interop.").update(at=when)
    AuditEvent.objects.filter(action=bulk_admission.AUDIT_ACTION,  # the rows it wrote
                              changes__import_job=done.pk).update(at=when)
    return done.imported_rows

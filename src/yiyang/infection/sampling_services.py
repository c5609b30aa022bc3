"""Writes of sampling rounds (seed 001 item 13): a county civil-affairs department marks and
ends its county's local-case period; a home records who was sampled on a day.

Who: marking is a regulator action on its own row (`Perm.MANAGE_REGIONAL_READINESS`, a
county-level civil-affairs department, for its own county only: `Action.CHANGE` on a regulator's
row is its own organisation). Recording samples is the home's staff with
`Perm.MANAGE_INFECTION_READINESS`, for its own home.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.errors import Conflict, Forbidden, ValidationFailed
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Action, Actor, ensure_visible, get_visible_or_404
from yiyang.core.validators import clean_text
from yiyang.core.writes import save_changes
from yiyang.orgs.models import NursingHome, Regulator

from . import sampling_queries as sq
from .models import LocalCaseMark, SampleTaken, SamplingDay

__all__ = ["end_local_case", "mark_local_case", "record_samples", "subject_keys"]


def _check_day(day: object, *, field: str, label: str) -> date:
    if not isinstance(day, date):
        raise ValidationFailed("required", f"请填写{label}", field=field)
    if day > timezone.localdate():
        raise ValidationFailed("future_date", f"{label}不能晚于今天", field=field)
    return day


@transaction.atomic()
def mark_local_case(*, actor: Actor, started_on: date, note: str = "") -> LocalCaseMark:
    """The actor's county has a local case from `started_on`."""
    require(actor, Perm.MANAGE_REGIONAL_READINESS)
    regulator = Regulator.objects.select_related("region").filter(pk=actor.org_id).first()
    if (regulator is None or regulator.level != Regulator.Level.COUNTY
            or regulator.department != Regulator.Department.CIVIL_AFFAIRS):
        raise Forbidden("只有县级民政部门可以标记本县（市、区）出现本土病例")
    started_on = _check_day(started_on, field="started_on", label="本土病例出现日期")
    if LocalCaseMark.objects.filter(county_prefix=actor.region_prefix,
                                    ended_on__isnull=True).exists():
        raise Conflict("本县已标记本土病例且尚未解除", code="already_marked")
    mark = LocalCaseMark.objects.create(
        regulator=regulator, region_code=regulator.region_code,
        county_prefix=actor.region_prefix, county_name=regulator.region.name,
        started_on=started_on, marked_by=actor.display_name or actor.username,
        note=clean_text(note, field="note", label="说明", max_length=300, required=False))
    ensure_visible(mark, actor, Action.CHANGE)
    audit.record(actor, "infection.local_case.mark", mark, changes=audit.created(mark))
    return mark


@transaction.atomic()
def end_local_case(*, actor: Actor, mark_id: int, version: int,
                   ended_on: date | None = None) -> LocalCaseMark:
    mark = get_visible_or_404(LocalCaseMark, actor, Action.CHANGE, pk=mark_id)
    require(actor, Perm.MANAGE_REGIONAL_READINESS)
    if mark.ended_on is not None:
        raise ValidationFailed("already_ended", "该本土病例标记已经解除")
    ended_on = _check_day(ended_on or timezone.localdate(), field="ended_on", label="解除日期")
    if ended_on < mark.started_on:
        raise ValidationFailed("before_start", "解除日期不能早于本土病例出现日期",
                               field="ended_on")
    return save_changes(actor, mark, version, {"ended_on": ended_on},
                        "infection.local_case.end")


def subject_keys(person_ids: list[int] | None = None,
                 membership_ids: list[int] | None = None) -> list[str]:
    return ([f"r:{pk}" for pk in person_ids or []]
            + [f"s:{pk}" for pk in membership_ids or []])


@transaction.atomic()
def record_samples(*, actor: Actor, day: date, subjects: list[str],
                   home_id: int | None = None) -> SamplingDay:
    """Record who of the home was sampled on `day` (residents in open stays and staff).

    The day's proposal is stored the first time the day is recorded, so the completion shows
    who was sampled from the proposal and who not. Recording a subject twice for a day is a
    no-op; the day must lie in the county's local-case period.
    """
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden("采样记录由养老机构登记")
    home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=home_id or actor.org_id)
    require(actor, Perm.MANAGE_INFECTION_READINESS)
    day = _check_day(day, field="day", label="采样日期")
    state = sq.compute([home], timezone.localdate())
    h = state[0] if state else None
    if h is None or day < h.mark.started_on:
        raise ValidationFailed("no_local_case",
                               "该日期所在县（市、区）没有本土病例标记，无需抽样检测", field="day")
    if not subjects:
        raise ValidationFailed("required", "请选择已采样的人员", field="subjects")
    names = {s.key: s.name for s in h.subjects}
    unknown = [k for k in subjects if k not in names]
    if unknown:
        raise ValidationFailed("unknown_subject", "所选人员不是本机构在住老人或在岗工作人员",
                               field="subjects")
    sampling_day = SamplingDay.objects.filter(home=home, day=day).first()
    if sampling_day is None:
        proposed = [s.key for s in sq.proposal_for(h, day)]
        sampling_day = SamplingDay.objects.create(
            home=home, mark=h.mark, region_code=home.region_code, day=day,
            population=len(sq._present(h, day)), proposed=proposed)
    done = set(SampleTaken.objects.filter(sampling_day=sampling_day)
               .values_list("subject", flat=True))
    proposed_set = set(sampling_day.proposed)
    new = [k for k in dict.fromkeys(subjects) if k not in done]
    who = actor.display_name or actor.username
    SampleTaken.objects.bulk_create([
        SampleTaken(home=home, region_code=home.region_code, sampling_day=sampling_day, day=day,
                    subject=k, name=names[k][:60], from_proposal=k in proposed_set,
                    person_id=int(k[2:]) if k.startswith("r:") else None,
                    staff_id=int(k[2:]) if k.startswith("s:") else None, recorded_by=who)
        for k in new])
    ensure_visible(sampling_day, actor, Action.CHANGE)
    audit.record(actor, "infection.sampling.record", sampling_day,
                 changes={"day": [None, day.isoformat()], "sampled": [None, new],
                          "outside_proposal": [None, [k for k in new if k not in proposed_set]]})
    return sampling_day

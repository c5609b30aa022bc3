"""Building service plans for tests through the services (never by hand)."""

from __future__ import annotations

from tests.assessments.helpers import bottom, top
from yiyang.assessments import services as assessment_services
from yiyang.care import plan_services as services
from yiyang.care.models import CarePlan
from yiyang.residents.models import OPEN_STATUSES, Stay


def stay_without_plan(cast, username: str = "nurse_a") -> Stay:  # type: ignore[no-untyped-def]
    home = cast.home_of(username)
    return (Stay.objects.filter(home=home, status="in_residence", care_plan__isnull=True)
            .select_related("person", "home").order_by("id").first())


def assessed(cast, username: str = "nurse_a") -> Stay:  # type: ignore[no-untyped-def]
    """A resident without a plan whose current Morse is 高危 and Braden 极高危."""
    stay = stay_without_plan(cast, username)
    nurse = cast.actor(username)
    for code, answers in (("morse", top("morse")), ("braden", bottom("braden"))):
        a = assessment_services.start(actor=nurse, person_id=stay.person_id, instrument=code,
                                      answers=answers)
        assessment_services.finalise(actor=nurse, assessment_id=a.pk, version=a.version)
    return stay


def approved_plan(cast, username: str = "nurse_a") -> CarePlan:  # type: ignore[no-untyped-def]
    stay = assessed(cast, username)
    nurse = cast.actor(username)
    plan = services.propose_plan(actor=nurse, person_id=stay.person_id)
    plan = services.update_plan(actor=nurse, plan_id=plan.pk, version=plan.version,
                                nursing_level="first")
    return services.approve_plan(actor=nurse, plan_id=plan.pk, version=plan.version)


__all__ = ["OPEN_STATUSES", "approved_plan", "assessed", "stay_without_plan"]

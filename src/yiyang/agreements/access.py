"""Which homes a medical institution serves today: the partner resolver of `orgs.actors`.

A doctor of the institution sees the clinical part of a home's residents while an agreement
between them is in force (`rules.is_access_active`, term end inclusive) and from the day after
its end, or from the termination date, sees nothing (DESIGN "Data scope").
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from . import rules
from .models import Agreement

# Stored states that can give access on some day (`rules.status_on` decides which day).
_CANDIDATES = (rules.AgreementState.PUBLISHED, rules.AgreementState.ACTIVE,
               rules.AgreementState.EXPIRING, rules.AgreementState.RENEWED,
               rules.AgreementState.TERMINATED)


def partner_homes(institution_id: int, today: date | None = None) -> set[int]:
    day = today or timezone.localdate()
    rows = (Agreement.objects.filter(medical_id=institution_id, state__in=_CANDIDATES,
                                     start_on__lte=day, end_on__gte=day)
            .values_list("home_id", "start_on", "end_on", "state", "terminated_on"))
    return {home_id for home_id, start, end, state, terminated_on in rows
            if rules.is_access_active(day, start=start, end=end, state=state,
                                      terminated_on=terminated_on)}

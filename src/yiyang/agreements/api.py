"""`/api/v1/agreements`: the agreements both parties and regulators see, one agreement, and its
lifecycle actions (the signed document is uploaded on the page)."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from . import queries, services
from .schemas import AgreementAct, AgreementRead

router = Router(tags=["医养签约"])


@router.get("/agreements", response=list[AgreementRead])
@paginate
def list_agreements(request: HttpRequest, state: str = ""):  # type: ignore[no-untyped-def]
    return queries.agreements(request.actor, state=state)


@router.get("/agreements/{pk}", response=AgreementRead)
def get_agreement(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return queries.agreement(request.actor, pk)


@router.post("/agreements/{pk}/act", response=AgreementRead)
def act_on_agreement(request: HttpRequest, pk: int, data: AgreementAct):  # type: ignore[no-untyped-def]
    services.act(actor=request.actor, agreement_id=pk, **data.model_dump())
    return queries.agreement(request.actor, pk)

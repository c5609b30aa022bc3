"""The REST API under /api/v1 (django-ninja): one NinjaAPI, one router per app.

Every route needs `Authorization: Bearer <token>` (401 without it); domain errors answer
`{"code", "message"}` with the status the error carries (400/403/404/409).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from yiyang.agreements.api import router as agreements_router
from yiyang.assessments.api import router as assessments_router
from yiyang.care.api import router as care_router
from yiyang.community.api import router as community_router
from yiyang.compliance.api import router as compliance_router
from yiyang.compliance.training_api import router as training_router
from yiyang.core.errors import DomainError
from yiyang.infection.api import router as infection_router
from yiyang.medication.api import router as medication_router
from yiyang.orgs.api import router as orgs_router
from yiyang.orgs.auth import BearerToken
from yiyang.regions.api import router as regions_router
from yiyang.residents.api import router as residents_router


class ReadableJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese messages stay readable on the wire


api = NinjaAPI(
    renderer=ReadableJSONRenderer(),
    title="医养通 Yiyang API",
    version="1",
    description=(
        "医养结合信息平台接口。认证：`Authorization: Bearer <token>`（`yiyang token create`）。"
    ),
    auth=BearerToken(),
    urls_namespace="api",
)
api.add_router("", regions_router)
api.add_router("", orgs_router)
api.add_router("", residents_router)
api.add_router("", assessments_router)
api.add_router("", medication_router)
api.add_router("", care_router)
api.add_router("", agreements_router)
api.add_router("", infection_router)
api.add_router("", community_router)
api.add_router("", compliance_router)
api.add_router("", training_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"code": "not_found", "message": "对象不存在或您无权查看"}, status=404
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "unauthenticated", "message": "未认证：请提供有效的 Bearer 令牌"},
        status=401,
    )


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "invalid_request", "message": "请求数据格式不正确", "errors": exc.errors},
        status=422,
    )

from django.contrib import admin
from django.urls import include, path

from yiyang.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("yiyang.orgs.urls", namespace="orgs")),
    path("", include("yiyang.residents.urls", namespace="residents")),
    path("", include("yiyang.assessments.urls", namespace="assessments")),
    path("", include("yiyang.medication.urls", namespace="medication")),
    path("", include("yiyang.care.urls", namespace="care")),
    path("", include("yiyang.agreements.urls", namespace="agreements")),
    path("", include("yiyang.infection.urls", namespace="infection")),
    path("", include("yiyang.community.urls", namespace="community")),
    path("", include("yiyang.compliance.urls", namespace="compliance")),
    path("", include("yiyang.interop.urls", namespace="interop")),
    path("", include("yiyang.web.urls")),
]

"""Routes of the app: each area keeps its own list (built side by side, merged here)."""

from . import outbreak_urls, readiness_urls

app_name = "infection"
urlpatterns = [*outbreak_urls.urlpatterns, *readiness_urls.urlpatterns]

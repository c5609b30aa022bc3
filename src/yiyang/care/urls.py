"""Routes of the app: each area keeps its own list (built side by side, merged here)."""

from . import plan_urls, safety_urls

app_name = "care"
urlpatterns = [*plan_urls.urlpatterns, *safety_urls.urlpatterns]

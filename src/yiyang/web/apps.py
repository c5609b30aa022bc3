from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "yiyang.web"
    label = "web"
    verbose_name = "网页外壳"

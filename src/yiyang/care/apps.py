from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "yiyang.care"
    label = "care"
    verbose_name = "日常照护"

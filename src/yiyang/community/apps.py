from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "yiyang.community"
    label = "community"
    verbose_name = "社区居家"

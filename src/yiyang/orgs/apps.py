from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yiyang.orgs"
    label = "orgs"
    verbose_name = "机构与账号"

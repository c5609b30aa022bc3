from django.apps import AppConfig


class InfectionConfig(AppConfig):
    name = "yiyang.infection"
    label = "infection"
    verbose_name = "感染防控"

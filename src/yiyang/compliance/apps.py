from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "yiyang.compliance"
    label = "compliance"
    verbose_name = "监管与合规"

from django.apps import AppConfig


class MedicationConfig(AppConfig):
    name = "yiyang.medication"
    label = "medication"
    verbose_name = "用药管理"

    def ready(self) -> None:
        from yiyang.core import audit

        audit.describe({
            "medication.order.prescribe": "开具用药医嘱",
            "medication.order.stop": "停止用药医嘱",
        })

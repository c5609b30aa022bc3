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
            "medication.stock.intake": "接收自带药品",
            "medication.stock.adjust": "药品盘点调整",
            "medication.stock.return": "药品退还家属",
            "medication.stock.dispose": "药品销毁",
            "medication.dose.given": "登记给药",
            "medication.dose.held": "登记暂缓给药",
            "medication.dose.refused": "登记拒服",
            "medication.dose.missed": "登记漏给",
            "medication.dose.effect": "记录用药效果",
            "medication.incident.report": "登记用药差错/不良反应",
            "medication.incident.handle": "处置用药差错/不良反应",
            "medication.mar.print": "打印给药记录单",
        })

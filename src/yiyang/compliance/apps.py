from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "yiyang.compliance"
    label = "compliance"
    verbose_name = "监管与合规"

    def ready(self) -> None:
        from yiyang.core import audit

        from . import indicators, sources, tasks  # noqa: F401 - tasks: the Huey refresh

        sources.register_builtin()
        indicators.load()
        audit.describe({
            "compliance.record": "登记义务履行记录",
            "compliance.hazard.create": "登记安全隐患",
            "compliance.hazard.act": "隐患整改/复核",
            "compliance.inspector.create": "添加检查人员",
            "compliance.draw": "双随机抽取",
            "compliance.inspection.create": "新建监督检查",
            "compliance.inspection.conclude": "登记检查结果",
            "compliance.finding.issue": "下达整改",
            "compliance.finding.act": "整改/验收",
            "compliance.filing.create": "提交内设医疗机构备案",
            "compliance.filing.review": "审核内设医疗机构备案",
            "compliance.training.create": "登记从业人员培训",
            "compliance.tcm.create": "登记中医适宜技术",
            "compliance.tcm.stop": "停止中医适宜技术",
        })

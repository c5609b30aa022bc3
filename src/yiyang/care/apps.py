from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "yiyang.care"
    label = "care"
    verbose_name = "日常照护"

    def ready(self) -> None:
        from yiyang.assessments import services as assessment_services
        from yiyang.core import audit

        from . import safety_queries

        audit.describe({
            "care.lesion.record": "登记压力性损伤",
            "care.lesion.observe": "记录压力性损伤观察",
            "care.lesion.update": "修改压力性损伤记录",
            "care.incident.record": "报告照护风险事件",
            "care.incident.update": "更新照护风险事件",
            "care.education.record": "登记健康教育活动",
        })
        # GB/T 42195 A.2.14: a new ability assessment starts from the incidents recorded here.
        assessment_services.register_annex_source(safety_queries.risk_event_answers)

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "yiyang.care"
    label = "care"
    verbose_name = "日常照护"

    def ready(self) -> None:
        from yiyang.assessments import services as assessment_services
        from yiyang.core import audit

        from . import (
            plan_tasks,  # noqa: F401 - registers the Huey periodic task
            safety_queries,
        )

        audit.describe({
            "care.plan.propose": "按评估结果拟定服务方案",
            "care.plan.update": "修改服务方案",
            "care.plan.approve": "审核服务方案",
            "care.tasks.generate": "生成照护任务",
            "care.task.record": "记录照护任务执行情况",
            "care.vital_range.set": "设置体征正常范围",
            "care.vitals.record": "记录生命体征",
            "care.note.write": "书写护理记录",
            "care.handover": "交接班",
            "care.lesion.record": "登记压力性损伤",
            "care.lesion.observe": "记录压力性损伤观察",
            "care.lesion.update": "修改压力性损伤记录",
            "care.incident.record": "报告照护风险事件",
            "care.incident.update": "更新照护风险事件",
            "care.education.record": "登记健康教育活动",
        })
        # GB/T 42195 A.2.14: a new ability assessment starts from the incidents recorded here.
        assessment_services.register_annex_source(safety_queries.risk_event_answers)

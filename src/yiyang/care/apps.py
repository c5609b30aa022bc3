from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "yiyang.care"
    label = "care"
    verbose_name = "日常照护"

    def ready(self) -> None:
        from yiyang.core import audit

        from . import plan_tasks  # noqa: F401 - registers the Huey periodic task

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
        })

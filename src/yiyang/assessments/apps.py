from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "yiyang.assessments"
    label = "assessments"
    verbose_name = "评估"

    def ready(self) -> None:
        from yiyang.core import audit

        audit.describe({
            "assessments.start": "新建评估",
            "assessments.save": "保存评估草稿",
            "assessments.finalise": "完成评估",
            "assessments.discard": "删除评估草稿",
            "assessments.report": "打印评估报告",
            "assessments.trigger": "登记需即时评估的情况",
            "assessments.admission.start": "开始入院评估",
            "assessments.admission.update": "修改入院评估",
            "assessments.admission.complete": "完成入院评估",
        })

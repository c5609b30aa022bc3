from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "yiyang.interop"
    label = "interop"
    verbose_name = "数据导入导出"

    def ready(self) -> None:
        from yiyang.core import audit

        audit.describe({
            "interop.import.upload": "上传导入文件",
            "interop.import.confirm": "确认导入",
            "interop.import.finish": "批量导入完成",
            "interop.export.residents": "导出老年人信息",
            "interop.export.register": "导出重点人群登记表",
        })

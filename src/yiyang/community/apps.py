from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "yiyang.community"
    label = "community"
    verbose_name = "社区居家"

    def ready(self) -> None:
        from yiyang.core import audit

        audit.describe({
            "community.entry.list": "纳入特殊需求老年人台账",
            "community.entry.update": "登记台账变更",
            "community.entry.end": "台账销册",
            "community.entry.import": "导入台账",
            "community.entry.export": "导出台账",
            "community.visit.record": "记录巡访关爱",
            "community.service.request": "登记居家服务申请",
            "community.service.deliver": "记录居家服务",
            "community.contract.sign": "登记家庭医生签约",
            "community.contract.home_visit": "记录家庭医生上门服务",
            "community.outbreak.switch": "切换疫情帮扶模式",
        })

from django.apps import AppConfig


class InfectionConfig(AppConfig):
    name = "yiyang.infection"
    label = "infection"
    verbose_name = "感染防控"

    def ready(self) -> None:
        from yiyang.core import audit

        # Readiness (issue 7 items 4, 5): sampling rounds, staff, supplies, teams, closure.
        audit.describe({
            "infection.local_case.mark": "标记本县出现本土病例",
            "infection.local_case.end": "解除本土病例标记",
            "infection.sampling.record": "登记核酸采样",
            "infection.staff.post": "登记工作人员岗位",
            "infection.staff.dose": "登记工作人员疫苗接种",
            "infection.supplies.open": "建立防疫物资台账",
            "infection.supplies.minimum": "修改物资最低储备",
            "infection.supplies.receipt": "物资入库",
            "infection.supplies.use": "物资领用",
            "infection.supplies.count": "物资盘点",
            "infection.team.create": "组建应急支援队伍",
            "infection.team.member": "添加支援队员",
            "infection.team.training": "登记支援队伍培训",
            "infection.closure.start": "开始封闭管理",
            "infection.closure.measures": "更新封闭管理措施",
            "infection.closure.end": "结束封闭管理",
            "infection.closure.shift": "安排封闭期间轮班",
        })

from django.apps import AppConfig


class InfectionConfig(AppConfig):
    name = "yiyang.infection"
    label = "infection"
    verbose_name = "感染防控"

    def ready(self) -> None:
        from yiyang.core import audit

        # Surveillance, outbreaks, the reporting chain and sites (outbreak area).
        audit.describe({
            "infection.symptom_check.record": "登记症状监测",
            "infection.test.record": "登记检测结果",
            "infection.outbreak.open": "建立疫情事件",
            "infection.outbreak.start_plan": "启动应急预案",
            "infection.outbreak.isolate": "转移隔离异常人员和密接",
            "infection.outbreak.report": "向联防联控机制和民政部门报告",
            "infection.outbreak.transfer": "绿色通道转运定点医院",
            "infection.outbreak.start_tracing": "开展专题流调",
            "infection.outbreak.manage_contacts": "判定密接次密接并隔离",
            "infection.outbreak.decide_isolation": "确定隔离方式",
            "infection.outbreak.disinfect": "专门消毒作业",
            "infection.outbreak.close": "结束疫情处置",
            "infection.outbreak.add_person": "登记病例/密接",
            "infection.outbreak.place": "登记人员去向",
            "infection.outbreak.trace_day": "流调日清日结",
            "infection.outbreak.death": "登记疫情死亡",
            "infection.outbreak.export": "导出疫情一览表",
            "infection.control.set": "登记院感控制体系",
            "infection.report.file": "报送疫情报告",
            "infection.report.acknowledge": "签收疫情报告",
            "infection.report.forward": "向上级报告疫情",
            "infection.report.escalate": "疫情报告逾期督办",
            "infection.site.create": "登记集中隔离/监测点",
            "infection.site.update": "修改集中隔离/监测点",
            # Readiness (issue 7 items 4, 5): sampling rounds, staff, supplies, teams, closure.
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

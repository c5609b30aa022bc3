from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "yiyang.residents"
    label = "residents"
    verbose_name = "入住老年人"

    def ready(self) -> None:
        from yiyang.core import audit

        audit.describe({
            "residents.person.register": "登记老年人",
            "residents.person.update": "修改基本信息",
            "residents.person.take_over": "接收社区台账老人建档",
            "residents.stay.admit": "办理入住",
            "residents.import.admit": "批量导入入住",
            "residents.stay.move_bed": "调换床位",
            "residents.stay.leave": "请假外出",
            "residents.stay.return_from_leave": "销假返院",
            "residents.stay.hospital_transfer": "转院/住院",
            "residents.stay.return_from_hospital": "出院返回",
            "residents.stay.discharge": "办理退住",
            "residents.stay.death": "登记去世",
            "residents.stay.death_certificate": "登记死亡医学证明",
            "residents.condition.record": "记录基础疾病",
            "residents.vaccination.record": "记录疫苗接种",
            "residents.contact.add": "添加联系人",
            "residents.profile.update": "修改健康档案",
            "residents.profile.assessed_disability": "按能力评估更新失能等级",
            "residents.classify": "重点人群分类",
            "residents.person.photo": "上传照片",
            "residents.follow_up.record": "登记随访",
            "residents.follow_up_policy.set": "设置随访间隔",
            "residents.follow_up_policy.reset": "随访间隔恢复默认",
            "residents.handover_card": "打印交接卡",
        })

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "yiyang.agreements"
    label = "agreements"
    verbose_name = "医养签约"

    def ready(self) -> None:
        from yiyang.core import audit
        from yiyang.orgs.actors import register_partner_resolver

        from .access import partner_homes

        register_partner_resolver(partner_homes)
        audit.describe({
            "agreements.create": "起草医养签约协议",
            "agreements.act": "办理医养签约协议",
            "agreements.patrol": "登记巡诊",
            "agreements.fee": "登记合作经费备查账",
            "agreements.service": "登记协议服务",
            "agreements.referral.request": "申请转诊",
            "agreements.referral.act": "办理转诊",
            "agreements.patrol.order": "开具巡诊医嘱",
            "agreements.family_bed.open": "家庭病床建床",
            "agreements.family_bed.round": "家庭病床查床",
            "agreements.family_bed.close": "家庭病床撤床",
        })

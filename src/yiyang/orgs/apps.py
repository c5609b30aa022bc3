from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yiyang.orgs"
    label = "orgs"
    verbose_name = "机构与账号"

    def ready(self) -> None:
        from yiyang.core import audit

        audit.describe({
            "orgs.organisation.update": "修改机构信息",
            "orgs.building.create": "添加楼栋",
            "orgs.building.update": "修改楼栋",
            "orgs.building.delete": "删除楼栋",
            "orgs.room.create": "添加房间",
            "orgs.room.update": "修改房间",
            "orgs.room.delete": "删除房间",
            "orgs.bed.create": "添加床位",
            "orgs.bed.update": "修改床位",
            "orgs.bed.delete": "删除床位",
            "orgs.staff.create": "新建人员账号",
            "orgs.staff.update": "修改人员任职",
            "orgs.staff.update_user": "修改人员资料",
            "orgs.staff.reset_password": "重置密码",
            "orgs.membership.switch": "切换任职",
            "orgs.token.issue": "签发接口令牌",
        })

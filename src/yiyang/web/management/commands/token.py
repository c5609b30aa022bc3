"""`yiyang token create USERNAME`: issue an API bearer token; prints only the raw token."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership, User
from yiyang.orgs.services import issue_token


class Command(BaseCommand):
    help = "API 令牌：yiyang token create 用户名 [--org 机构编号] [--label 用途]"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser(
            "create", help="为用户的一个任职签发令牌（只在标准输出打印令牌本身）"
        )
        create.add_argument("username", help="用户名")
        create.add_argument(
            "--org",
            type=int,
            default=None,
            help="机构编号（用户在多个机构任职时指定；默认第一个有效任职）",
        )
        create.add_argument("--label", default="", help="用途说明，例如“医保接口”")

    def handle(self, *args: object, **options: object) -> None:
        if options["verb"] == "create":
            self.stdout.write(
                self._create(str(options["username"]), options["org"], str(options["label"] or ""))
            )

    def _create(self, username: str, org_id: object, label: str) -> str:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        if not user.is_active:
            raise CommandError(f"用户已停用：{username}")
        memberships = (
            Membership.objects.filter(user=user, is_active=True)
            .select_related("user", "org__region")
            .order_by("pk")
        )
        if org_id is not None:
            membership = memberships.filter(org_id=org_id).first()
            if membership is None:
                raise CommandError(f"用户 {username} 在编号为 {org_id} 的机构没有有效任职")
        else:
            membership = memberships.first()
            if membership is None:
                raise CommandError(f"用户 {username} 没有任何有效任职，无法签发令牌")
        return issue_token(actor=actor_for(membership), label=label)

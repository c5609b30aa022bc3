"""`yiyang demo`: one command from nothing to a running demo.

Creates the embedded database, loads the region table, builds the demo organisations and
accounts (idempotent), prints the logins, then serves in demo mode (demo accounts may log in
only while `YIYANG_DEMO_MODE=1`, which this sets for the server processes alone).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiyang.demo.agreements import build_demo_agreements
from yiyang.demo.assessments import build_demo_assessments
from yiyang.demo.care import build_demo_care
from yiyang.demo.care_safety import build_demo_care_safety
from yiyang.demo.community import build_demo_community
from yiyang.demo.compliance import build_demo_compliance
from yiyang.demo.follow_ups import build_demo_follow_ups
from yiyang.demo.history import build_demo_history
from yiyang.demo.imports import build_demo_imports
from yiyang.demo.indicators import build_demo_indicators
from yiyang.demo.infection import build_demo_infection
from yiyang.demo.infection_readiness import build_demo_infection_readiness
from yiyang.demo.medication import build_demo_medication
from yiyang.demo.orgs import DemoCast, DemoDataError, build_demo_orgs
from yiyang.demo.residents import build_demo_residents
from yiyang.demo.training import build_demo_training
from yiyang.regions.models import Region
from yiyang.regions.services import load_regions
from yiyang.web.management.commands.serve import add_server_arguments, check_server_options
from yiyang.web.serving import serve

HOST = "127.0.0.1"

# Later capabilities' demo data, in dependency order: (what it is, its builder).
LATER_STEPS = [
    ("照护计划与护理记录", build_demo_care),
    ("压力性损伤、意外事件与健康教育记录", build_demo_care_safety),
    ("感染监测与疫情处置记录", build_demo_infection),
    ("疫情防控准备记录", build_demo_infection_readiness),
    ("社区特殊老人台账记录", build_demo_community),
    ("监管义务、抽查与备案记录", build_demo_compliance),
    ("从业人员培训与中医适宜技术记录", build_demo_training),
    ("监管指标快照", build_demo_indicators),  # last: it reads everything above
]


class Command(BaseCommand):
    help = "一键演示：创建数据库、载入行政区划、生成演示机构和账号，并以演示模式启动服务"

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser, host=False)
        parser.add_argument(
            "--no-serve", action="store_true", help="只准备数据并打印演示账号，不启动服务"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_server_options(options)
        started = time.monotonic()
        database = settings.DATABASES["default"]
        where = database.get("NAME") if database["ENGINE"].endswith("sqlite3") else "DATABASE_URL"
        self._step(f"正在创建数据库（{where}）…")
        call_command("migrate", interactive=False, verbosity=0)
        if Region.objects.exists():
            self._step("行政区划已存在，跳过载入")
        else:
            self._step("正在载入行政区划（省、市、县、乡四级，约 5 万条）…")
            count = load_regions()
            self._step(f"已载入 {count} 条行政区划")
        self._step("正在生成演示机构、床位和账号…")
        try:
            cast = build_demo_orgs()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self._step("正在生成入住老人及其健康档案…")
        count = build_demo_residents()
        self._step(f"已生成 {count} 位老人（含已退住、去世）" if count else "入住老人已存在，跳过")
        build_demo_history()
        self._step("正在生成分级随访记录…")
        count = build_demo_follow_ups()
        self._step(f"已生成 {count} 条随访记录" if count else "随访记录已存在，跳过")
        self._step("正在生成 Excel 导入记录…")
        count = build_demo_imports()
        self._step(f"已通过 Excel 导入 {count} 位老人" if count else "导入记录已存在，跳过")
        self._step("正在生成入院评估、能力评估和风险评估记录…")
        count = build_demo_assessments()
        self._step(f"已生成 {count} 条评估记录" if count else "评估记录已存在，跳过")
        self._step("正在生成医养签约协议和巡诊记录…")
        count = build_demo_agreements()
        self._step(f"已生成 {count} 份签约协议" if count else "签约协议已存在，跳过")
        self._step("正在生成用药医嘱…")
        count = build_demo_medication()
        self._step(f"已生成 {count} 条用药医嘱" if count else "用药医嘱已存在，跳过")
        for label, build in LATER_STEPS:
            self._step(f"正在生成{label}…")
            count = build()
            self._step(f"已生成 {count} 条{label}" if count else f"{label}已存在，跳过")
        self._step(f"演示数据已就绪（用时 {time.monotonic() - started:.1f} 秒）")
        port = options["port"]
        self._print_cast(cast, f"http://{HOST}:{port}/")
        if options["no_serve"]:
            self.stdout.write(
                f"启动服务：yiyang demo --port {port}（或 yiyang serve --demo --port {port}）"
            )
            return
        code = serve(
            host=HOST, port=port, workers=options["workers"], demo=True, log=self.stdout.write
        )
        if code:
            raise CommandError(f"服务进程异常退出（退出码 {code}）")

    def _step(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _print_cast(self, cast: DemoCast, url: str) -> None:
        width = max(len(login.username) for login in cast)
        name_width = max(len(login.full_name) for login in cast)
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"演示地址：{url}"))
        out.write(self.style.SUCCESS(f"演示密码（所有演示账号相同）：{cast.password}"))
        out.write("演示账号只在演示模式下可以登录（yiyang demo 或 yiyang serve --demo）。")
        for group in cast.groups:
            out.write("")
            out.write(self.style.MIGRATE_HEADING(f"{group.title}："))
            for login in group.logins:
                name = login.full_name.ljust(name_width, "\u3000")  # CJK-wide padding
                out.write(f"  {login.username.ljust(width)}  {name}  {login.description}")
        out.write("")

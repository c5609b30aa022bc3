"""`yiyang gen`: synthetic data at any scale (regulators with a login each, homes, beds,
residents, and every indicator's source rows: demo/scale_extras.py) for benchmarks.

Writes into the configured database (`DATABASE_URL`, or SQLite under `YIYANG_DATA_DIR`): point it
at a database of its own, never at production data.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiyang.demo.scale import ScaleSpec, generate
from yiyang.regions.models import Region
from yiyang.regions.services import load_regions


class Command(BaseCommand):
    help = ("生成任意规模的合成数据（监管部门、养老机构、床位、入住老人及各项指标所需的业务数据），"
            "用于性能测试")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="410000",
                            help="省级区划代码（默认 410000 河南省）")
        parser.add_argument("--homes", type=int, default=1000, help="养老机构数（默认 1000）")
        parser.add_argument("--residents", type=int, default=200_000,
                            help="入住老人总数（默认 200000）")
        parser.add_argument("--seed", default="yiyang-gen", help="随机种子（相同参数得到相同数据）")
        parser.add_argument("--no-extras", action="store_true",
                            help="只生成机构、床位和老人，不生成指标所需的业务数据")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if not Region.objects.exists():
            self.stdout.write("正在载入行政区划…")
            load_regions()
        try:
            spec = ScaleSpec(province=options["province"], homes=options["homes"],
                             residents=options["residents"], seed=options["seed"],
                             extras=not options["no_extras"])
            made = generate(spec, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"完成：{made['homes']} 家养老机构、{made['residents']} 位老人、"
            f"{made['regulators']} 个监管部门（用时 {time.monotonic() - started:.1f} 秒）"))
        extras = {k: v for k, v in made.items()
                  if k not in ("homes", "residents", "regulators")}
        if extras:
            self.stdout.write("其他数据：" + "，".join(
                f"{k} {v}" for k, v in sorted(extras.items())))

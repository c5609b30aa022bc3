"""`yiyang serve`: the web server (gunicorn) and the background worker (Huey) together."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiyang.web.serving import serve


def add_server_arguments(parser: CommandParser, *, host: bool = True) -> None:
    parser.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
    if host:
        parser.add_argument(
            "--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）"
        )
    parser.add_argument("--workers", type=int, default=2, help="网页服务进程数（默认 2）")


def check_server_options(options: dict[str, Any]) -> None:
    if not 0 < options["port"] < 65536:
        raise CommandError(f"端口号无效：{options['port']}")
    if options["workers"] < 1:
        raise CommandError("网页服务进程数至少为 1")


class Command(BaseCommand):
    help = "启动网页服务（gunicorn）和后台任务进程（Huey），按 Ctrl-C 停止"

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)
        parser.add_argument(
            "--demo",
            action="store_true",
            help="演示模式：允许演示账号登录（设置 YIYANG_DEMO_MODE=1）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_server_options(options)
        code = serve(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            demo=options["demo"],
            log=self.stdout.write,
        )
        if code:
            raise CommandError(f"服务进程异常退出（退出码 {code}）")

"""`yiyang import residents FILE --home CODE [--dry-run]`: check a workbook and import it into
one home, all rows or none; row errors go to stderr and the exit status is 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiyang.core.errors import DomainError
from yiyang.interop import services
from yiyang.interop.models import ImportJob


class Command(BaseCommand):
    help = "从 Excel 导入入住老年人（先全部校验，有错误则一行也不导入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["residents"], help="导入的数据类型")
        parser.add_argument("file", help="Excel 文件（.xlsx / .xls / .ods）")
        parser.add_argument("--home", required=True, help="养老机构的统一社会信用代码")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不导入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            job = services.import_from_command_line(
                home_code=options["home"], file_name=path.name, data=path.read_bytes(),
                dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for row, column, message in job.errors:
            self.stderr.write(f"第 {row} 行 [{column}] {message}")
        if job.error_count > len(job.errors):
            self.stderr.write(f"……另有 {job.error_count - len(job.errors)} 处错误未列出")
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.CHECKED):
            self.stdout.write(job.message)
            return
        raise CommandError(job.message or job.get_status_display())

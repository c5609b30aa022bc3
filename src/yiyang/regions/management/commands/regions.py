from django.core.management.base import BaseCommand, CommandParser

from yiyang.regions.services import load_regions


class Command(BaseCommand):
    help = "行政区划：yiyang regions load [--no-townships]"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("load", help="从随附的数据文件载入（可重复执行）")
        load.add_argument("--no-townships", action="store_true", help="不载入乡级")

    def handle(self, *args: object, **options: object) -> None:
        count = load_regions(townships=not options["no_townships"])
        self.stdout.write(self.style.SUCCESS(f"已载入 {count} 条行政区划"))

"""GB/T 2260 divisions (+ optional townships), versioned so historical codes stay resolvable."""

from __future__ import annotations

from django.db import models


class Region(models.Model):
    """Public reference data: every actor may read it, only `yiyang regions load` writes it."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "省级"
        PREFECTURE = 2, "地级"
        COUNTY = 3, "县级"
        TOWNSHIP = 4, "乡级"

    code = models.CharField("代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices, db_index=True)
    parent_code = models.CharField("上级代码", max_length=12, blank=True, db_index=True)
    # Every code inside this region starts with it (from the level, never by stripping zeros).
    scope_prefix = models.CharField("辖区前缀", max_length=12, db_index=True)
    full_name = models.CharField("全称", max_length=200, blank=True)
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

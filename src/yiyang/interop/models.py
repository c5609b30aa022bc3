"""An import job: the uploaded file (encrypted, kept only until it is imported or rejected), its
state and the row errors, so a long import survives a page reload and can be followed."""

from __future__ import annotations

from django.db import models

from yiyang.core.models import ScopedModel
from yiyang.core.scope import DataClass, Scope
from yiyang.orgs.models import NursingHome

MAX_STORED_ERRORS = 2000  # a file with more bad rows shows the first ones and the total


class ImportJob(ScopedModel):
    class Kind(models.TextChoices):
        RESIDENTS = "residents", "入住老年人"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        CHECKING = "checking", "校验中"
        REJECTED = "rejected", "有错误，未导入"
        CHECKED = "checked", "校验通过，待确认导入"
        IMPORTING = "importing", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "导入失败"

    home = models.ForeignKey(NursingHome, verbose_name="养老机构", on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.RESIDENTS)
    status = models.CharField("状态", max_length=20, choices=Status.choices,
                              default=Status.QUEUED, db_index=True)
    dry_run = models.BooleanField("仅校验", default=True)
    file_name = models.CharField("文件名", max_length=200)
    file_size = models.PositiveIntegerField("文件大小")
    file_sha256 = models.CharField(max_length=64)
    payload = models.BinaryField(default=b"", editable=False)  # SM4-GCM; emptied when finished
    total_rows = models.PositiveIntegerField("数据行", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    imported_rows = models.PositiveIntegerField("已导入", default=0)
    errors = models.JSONField("错误明细", default=list, blank=True)
    preview = models.JSONField("预览", default=list, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    created_by = models.CharField("上传人", max_length=150)
    membership_id = models.BigIntegerField(null=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    # ADMIN, not CLINICAL: the upload and its preview hold ID numbers, which a partner medical
    # institution must never see (issue "Medical–nursing cooperation").
    scope = Scope(owner="home", data=DataClass.ADMIN)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "导入任务"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导入 {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.CHECKING, self.Status.IMPORTING}

"""Kernel models: the audit trail and API tokens; abstract bases every app builds on."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yiyang.core.scope import Scope, ScopedManager


class TimeStamped(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Editable rows carry a version; `core.versioning.bump` refuses a stale save."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True


class ScopedModel(TimeStamped, Versioned):
    """A row owned by an organisation, carrying its region code for regulator scope."""

    region_code = models.CharField("行政区划代码", max_length=12, db_index=True, editable=False)

    objects = ScopedManager()

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what, when, from where, with the changed fields (never encrypted plaintext)."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField("用户名", max_length=150)
    membership_id = models.BigIntegerField(null=True)
    org_id = models.BigIntegerField("操作者机构", null=True, db_index=True)
    region_code = models.CharField(max_length=12, blank=True, db_index=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    # The organisation the object belongs to, so an organisation can read its own trail.
    object_org_id = models.BigIntegerField(null=True, db_index=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    scope = Scope(owner="object_org_id")
    objects = ScopedManager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        from yiyang.core.audit import label_of  # audit imports this module

        return label_of(self.action)

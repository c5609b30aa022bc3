"""Domain errors: a stable code plus a Chinese message the user can act on.

The API maps them to HTTP statuses (`status`); pages show the message on the form
(`field` names the form field when the error belongs to one).
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field

    def as_dict(self) -> dict[str, str]:
        data = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        return data


class ValidationFailed(DomainError):
    status = 400


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限") -> None:
        super().__init__("forbidden", message)


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "对象不存在或您无权查看") -> None:
        super().__init__("not_found", message)


class Conflict(DomainError):
    status = 409

    def __init__(
        self, message: str = "记录已被他人修改，请刷新后再提交", *, code: str = "stale_version"
    ) -> None:
        super().__init__(code, message)

"""Staff accounts: roles fit the organisation, passwords are checked, personal data stays
masked and every reveal is audited (never with the plaintext)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from yiyang.core.errors import Forbidden, NotFound, ValidationFailed
from yiyang.core.models import AuditEvent
from yiyang.orgs import services
from yiyang.orgs.models import Membership, User


def _create(cast, **overrides):  # type: ignore[no-untyped-def]
    actor = cast.actor("admin_a")
    data = {"username": "new_nurse", "full_name": "新护士", "role": "home_nurse",
            "password": "Kx9-bedside-2026", "phone": "139 1234 5678"}
    return services.create_staff_account(actor=actor, org_id=actor.org_id, **{**data, **overrides})


def test_admin_creates_an_account_and_the_phone_never_reaches_the_audit(cast) -> None:
    membership = _create(cast)
    assert membership.user.phone == "13912345678"
    event = AuditEvent.objects.get(action="orgs.staff.create", object_id=str(membership.pk))
    assert "13912345678" not in json.dumps(event.changes, ensure_ascii=False)
    assert event.changes["phone"][1] == "（已加密，不记录明文）"


@pytest.mark.parametrize(("overrides", "code"), [
    ({"role": "regulator_officer"}, "invalid_role"),
    ({"username": "nurse_a"}, "duplicate_username"),
    ({"username": "护士"}, "invalid_username"),
    ({"password": "12345678901"}, "weak_password"),
    ({"phone": "12345"}, "invalid_phone"),
    ({"full_name": ""}, "required"),
])
def test_bad_accounts_are_refused_in_chinese_and_nothing_is_written(cast, overrides, code):
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as err:
        _create(cast, **overrides)
    assert err.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_the_last_administrator_cannot_be_disabled(cast) -> None:
    actor = cast.actor("admin_a")
    admin = cast.membership("admin_a")
    others = Membership.objects.filter(org_id=admin.org_id, role="home_manager",
                                       is_active=True).exclude(pk=admin.pk)
    others.update(is_active=False)
    with pytest.raises(ValidationFailed, match="至少需要保留一名"):
        services.update_staff(actor=actor, membership_id=admin.pk, version=admin.version,
                              is_active=False)


def test_reveal_is_a_permission_and_is_audited(cast) -> None:
    target = cast.membership("nurse_a")
    with pytest.raises(Forbidden):
        services.reveal_phone(actor=cast.actor("nurse_a"), membership_id=target.pk)
    with pytest.raises(NotFound):
        services.reveal_phone(actor=cast.actor("admin_c"), membership_id=target.pk)
    phone = services.reveal_phone(actor=cast.actor("admin_a"), membership_id=target.pk)
    assert phone == target.user.phone and len(phone) == 11
    event = AuditEvent.objects.filter(action="core.reveal").latest("id")
    assert event.username == "admin_a" and event.changes == {"field": "phone"}
    assert phone not in json.dumps(event.changes)


def test_staff_page_shows_phones_masked(cast) -> None:
    page = cast.browser("admin_a").get(reverse("orgs:staff")).content.decode()
    phone = cast.user("nurse_a").phone
    assert phone not in page
    assert f"{phone[:3]}****{phone[-4:]}" in page


def test_edit_form_refuses_a_stale_version_with_a_form_error(cast) -> None:
    target = cast.membership("nurse_a")
    client = cast.browser("admin_a")
    url = reverse("orgs:staff_edit", args=[target.pk])
    form = {"version": target.version, "full_name": "李秀梅", "role": "home_nurse",
            "title": "护士长", "is_active": "on"}
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "title": "又改了"})
    assert stale.status_code == 400
    assert "记录已被他人修改" in stale.content.decode()
    target.refresh_from_db()
    assert target.title == "护士长"

"""Login: Chinese page, lockout after repeated failures, demo accounts only in demo mode."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from yiyang.demo import DEMO_PASSWORD


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("web:login"), {"username": username, "password": password},
                       REMOTE_ADDR="10.1.2.3")


def test_login_page_is_chinese(db) -> None:
    response = Client().get(reverse("web:login"))
    assert response.status_code == 200
    assert "用户名" in response.content.decode() and "登录" in response.content.decode()


@override_settings(DEMO_MODE=True)
def test_demo_persona_logs_in_and_sees_its_dashboard(cast) -> None:
    client = Client()
    response = _login(client, "nurse_a", DEMO_PASSWORD)
    assert response.status_code == 302
    page = client.get(reverse("web:dashboard")).content.decode()
    assert cast.home_of("nurse_a").name in page


@override_settings(DEMO_MODE=False)
def test_demo_password_is_refused_outside_demo_mode(cast) -> None:
    client = Client()
    response = _login(client, "nurse_a", DEMO_PASSWORD)
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


@override_settings(DEMO_MODE=False)
def test_demo_tokens_are_refused_outside_demo_mode(cast) -> None:
    with override_settings(DEMO_MODE=True):
        client = cast.api("nurse_a")
    assert client.get("/api/v1/me").status_code == 401


@override_settings(DEMO_MODE=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(cast) -> None:
    client = Client()
    for _ in range(3):
        _login(client, "nurse_a", "wrong-password")
    locked = _login(client, "nurse_a", DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "账号已锁定" in locked.content.decode()


@pytest.mark.parametrize("username", ["nurse_a", "officer_x", "doctor_b", "worker_t"])
def test_every_persona_gets_a_dashboard(cast, username: str) -> None:
    response = cast.browser(username).get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert cast.actor(username).org_name in response.content.decode()


def test_switching_membership_changes_the_actor(cast) -> None:
    from yiyang.orgs.queries import memberships_of

    user = cast.user("doctor_multi")
    memberships = list(memberships_of(user))
    assert len(memberships) == 2
    client = cast.browser("doctor_multi")
    client.post(reverse("web:switch"), {"membership_id": memberships[1].pk})
    page = client.get(reverse("web:dashboard")).content.decode()
    assert memberships[1].org.name in page
    other = client.post(reverse("web:switch"), {"membership_id": cast.membership("nurse_c").pk})
    assert other.status_code == 404

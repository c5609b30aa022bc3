"""The fixed cast every test uses: the demo's organisations and personas (STYLE "Tests").

The region table and the demo organisations are built once per test database; each test runs
in a transaction that is rolled back. Browser tests (live server, flushing) run last.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from yiyang.core.scope import Actor
from yiyang.demo.agreements import build_demo_agreements
from yiyang.demo.assessments import build_demo_assessments
from yiyang.demo.follow_ups import build_demo_follow_ups
from yiyang.demo.history import build_demo_history
from yiyang.demo.imports import build_demo_imports
from yiyang.demo.medication import build_demo_medication
from yiyang.demo.orgs import build_demo_orgs
from yiyang.demo.residents import build_demo_residents
from yiyang.orgs.actors import actor_for
from yiyang.orgs.models import Membership, NursingHome, User
from yiyang.orgs.services import issue_token
from yiyang.regions.models import Region
from yiyang.regions.services import load_regions
from yiyang.web.management.commands.demo import LATER_STEPS


def ensure_world() -> None:
    if not Region.objects.exists():
        load_regions()
    build_demo_orgs()
    build_demo_residents()
    build_demo_history()
    build_demo_imports()
    build_demo_follow_ups()
    build_demo_assessments()
    build_demo_agreements()
    build_demo_medication()
    for _label, build in LATER_STEPS:  # the same list and order as `yiyang demo`
        build()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        ensure_world()


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    # Live-server tests flush the database; run them after everything that relies on the cast.
    items.sort(key=lambda item: "tests/browser/" in str(item.path).replace("\\", "/"))


@dataclass
class Cast:
    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def membership(self, username: str) -> Membership:
        return (
            Membership.objects.select_related("org__region", "user")
            .filter(user__username=username, is_active=True)
            .order_by("id")
            .first()
        )

    def actor(self, username: str) -> Actor:
        return actor_for(self.membership(username))

    def home_of(self, username: str) -> NursingHome:
        return NursingHome.objects.get(pk=self.membership(username).org_id)

    def token(self, username: str) -> str:
        return issue_token(actor=self.actor(username), label="test")

    def api(self, username: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.token(username)}")

    def browser(self, username: str) -> Client:
        client = Client()
        client.force_login(self.user(username), backend="yiyang.orgs.auth.AccountBackend")
        return client


@pytest.fixture
def cast(db) -> Cast:  # type: ignore[no-untyped-def]
    ensure_world()
    return Cast()

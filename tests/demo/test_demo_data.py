"""The demo data (`yiyang.demo.orgs`) and the `demo`, `token` commands and server runner."""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yiyang.core.identifiers import parse_credit_code
from yiyang.core.permissions import ROLE_KIND, OrgKind, Role
from yiyang.demo import DEMO_PASSWORD
from yiyang.demo import orgs as orgs_module
from yiyang.demo.orgs import (
    PERSONAS,
    DemoDataError,
    build_demo_orgs,
    expected_bed_count,
    make_credit_code,
)
from yiyang.orgs.models import (
    ApiToken,
    Bed,
    Building,
    CommunityOrg,
    MedicalInstitution,
    Membership,
    NursingHome,
    Organisation,
    Regulator,
    Room,
    User,
)
from yiyang.regions.models import Region
from yiyang.regions.services import load_regions
from yiyang.web.serving import Service, run_services, server_env


@pytest.fixture
def demo(db):
    # tests/conftest.py builds the world once per session; stay correct without it too.
    if not Region.objects.exists():
        load_regions(townships=True)
    return build_demo_orgs()


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, NursingHome, MedicalInstitution, CommunityOrg, Regulator,
                      Building, Room, Bed, User, Membership)
    }


def _membership(username: str) -> Membership:
    return Membership.objects.select_related("org__region").get(user__username=username)


# ---- the data ---------------------------------------------------------------------------

def test_build_is_idempotent(demo):
    counts = _counts()
    again = build_demo_orgs()
    assert _counts() == counts
    assert again == demo
    assert counts["NursingHome"] == 6
    assert counts["MedicalInstitution"] == 4
    assert counts["Bed"] == expected_bed_count()
    assert counts["User"] == len(demo.usernames)
    assert counts["Membership"] == len(demo.usernames) + 1  # doctor_multi holds two


def test_needs_the_region_table(demo, monkeypatch):
    # Pretend the demo is not there yet and one of its regions is missing from the table.
    User.objects.filter(username=orgs_module.SENTINEL_USERNAME).update(username="renamed")
    missing = replace(orgs_module.HOMES[0], key="home_missing", region="419999")
    monkeypatch.setattr(orgs_module, "ALL_ORGS", (*orgs_module.ALL_ORGS, missing))
    before = _counts()
    with pytest.raises(DemoDataError, match="419999"):
        build_demo_orgs()
    assert _counts() == before


def test_personas(demo):
    for username in ("nurse_a", "admin_a", "nurse_c", "doctor_b", "doctor_d", "officer_x",
                     "officer_city", "worker_t", "worker_u"):
        assert username in demo.usernames
        assert username in PERSONAS

    nurse_a, admin_a = _membership("nurse_a"), _membership("admin_a")
    assert nurse_a.org_id == admin_a.org_id
    assert nurse_a.org.kind == OrgKind.HOME and nurse_a.role == Role.HOME_NURSE
    assert admin_a.role == Role.HOME_MANAGER
    assert nurse_a.org.name == "杞县颐养园养老中心"
    assert nurse_a.org.region_code.startswith("410221")
    home_a = NursingHome.objects.get(pk=nurse_a.org_id)
    assert home_a.has_medical_unit and home_a.is_integrated and home_a.medical_filing_no
    assert home_a.bed_capacity == 120

    nurse_c = _membership("nurse_c")
    assert nurse_c.org.kind == OrgKind.HOME and nurse_c.org.region_code.startswith("410222")
    assert nurse_c.org.name == "通许县福寿康养老院"

    doctor_b, doctor_d = _membership("doctor_b"), _membership("doctor_d")
    assert doctor_b.role == doctor_d.role == Role.MEDICAL_DOCTOR
    inst_b = MedicalInstitution.objects.get(pk=doctor_b.org_id)
    inst_d = MedicalInstitution.objects.get(pk=doctor_d.org_id)
    assert (inst_b.name, inst_b.type) == ("杞县五里河镇卫生院", MedicalInstitution.Type.TOWNSHIP_HC)
    assert inst_b.region_code.startswith("410221")
    assert (inst_d.name, inst_d.type, inst_d.grade) == ("通许县中医院", "tcm", "2")
    assert inst_d.region_code.startswith("410222")

    officer_x = _membership("officer_x")
    reg_x = Regulator.objects.get(pk=officer_x.org_id)
    assert officer_x.role == Role.REGULATOR_OFFICER
    assert (reg_x.name, reg_x.region_code, reg_x.level, reg_x.department) == (
        "杞县民政局", "410221", Regulator.Level.COUNTY, Regulator.Department.CIVIL_AFFAIRS)
    assert reg_x.region.level == Region.Level.COUNTY

    reg_city = Regulator.objects.get(pk=_membership("officer_city").org_id)
    assert (reg_city.region_code, reg_city.level) == ("410200", Regulator.Level.CITY)
    reg_prov = Regulator.objects.get(pk=_membership("officer_prov").org_id)
    assert (reg_prov.region_code, reg_prov.level) == ("410000", Regulator.Level.PROVINCE)

    worker_t, worker_u = _membership("worker_t"), _membership("worker_u")
    assert worker_t.role == worker_u.role == Role.COMMUNITY_WORKER
    assert (worker_t.org.name, worker_t.org.region_code) == ("五里河镇人民政府", "410221101")
    assert CommunityOrg.objects.get(pk=worker_t.org_id).level == CommunityOrg.Level.TOWNSHIP
    assert worker_u.org.region_code.startswith("410222")
    # The orgs demo's one village; the community demo adds villages of its own (issue 9).
    village = CommunityOrg.objects.get(level=CommunityOrg.Level.VILLAGE, short_name="五里河村")
    assert village.parent_id == worker_t.org_id and village.region_code == "410221101"


def test_organisations_are_consistent(demo):
    orgs = list(Organisation.objects.select_related("region"))
    # Villages the community demo adds (issue 9): no accounts of their own (the township's
    # worker keeps their ledger).
    added = set(CommunityOrg.objects.filter(level=CommunityOrg.Level.VILLAGE).exclude(
        short_name="五里河村").values_list("pk", flat=True))
    assert len(orgs) - len(added) == 22 and len(added) == 4
    codes = [org.credit_code for org in orgs]
    assert len(set(codes)) == len(codes)
    for org in orgs:
        assert parse_credit_code(org.credit_code) == org.credit_code
        assert org.credit_code[2:8] == org.region_code[:6]
        assert org.region_code == org.region.code
        assert org.address and org.phone.startswith("0371-")
        assert org.profile is not None
        if org.pk in added:
            continue
        # Every organisation has an active administrator.
        admins = Membership.objects.filter(org=org, is_active=True,
                                           role__in=[r for r, k in ROLE_KIND.items()
                                                     if k == org.kind and r.endswith("admin")
                                                     or r == Role.HOME_MANAGER])
        assert admins.exists(), org.name
    for model in (Building, Room, Bed, Membership):
        for row in model.objects.select_related("home" if model is not Membership else "org"):
            owner = row.org if model is Membership else row.home
            assert row.region_code and row.region_code.startswith(owner.region_code)
    for membership in Membership.objects.select_related("org"):
        assert ROLE_KIND[membership.role] == membership.org.kind


def test_facilities(demo):
    homes = list(NursingHome.objects.all())
    assert len(homes) == 6
    assert {h.ownership for h in homes} == set(NursingHome.Ownership.values)
    assert {h.medical_unit_type for h in homes} == {"", "clinic_room", "nursing_station"}
    for home in homes:
        beds = Bed.objects.filter(home=home).count()
        assert 30 <= beds <= home.bed_capacity, home.name
        buildings = list(home.buildings.all())
        assert len(buildings) in range(1, 4)
        assert sum(b.is_independent for b in buildings) == 1
        for room in Room.objects.filter(home=home).prefetch_related("beds"):
            count = len(room.beds.all())
            assert count in range(1, 5)
            assert room.floor in range(1, room.building.floors + 1)
            if room.is_single:
                assert count == 1
    assert Room.objects.filter(is_single=True).exists()


def test_users(demo):
    users = list(User.objects.all())
    assert len(users) == len(demo.usernames)
    for user in users:
        assert user.is_demo and user.full_name
        assert len(user.phone) == 11 and user.phone.startswith("1")
    assert User.objects.get(username="nurse_a").check_password(DEMO_PASSWORD)
    multi = Membership.objects.filter(user__username="doctor_multi").select_related("org")
    assert {(m.org.kind, m.role) for m in multi} == {
        (OrgKind.MEDICAL, Role.MEDICAL_DOCTOR), (OrgKind.HOME, Role.HOME_DOCTOR)}
    assert "杞县颐养园养老中心" in demo.describe("nurse_a")


def test_credit_codes_are_valid_and_deterministic():
    first = [make_credit_code(random.Random(7), p, "410221") for p in ("11", "12", "52", "91")]
    again = [make_credit_code(random.Random(7), p, "410221") for p in ("11", "12", "52", "91")]
    assert first == again
    rng = random.Random(1)
    for _ in range(500):
        code = make_credit_code(rng, "52", "410222")
        assert parse_credit_code(code) == code and code[2:8] == "410222"


# ---- commands ---------------------------------------------------------------------------

def test_token_command(demo):
    out = StringIO()
    call_command("token", "create", "nurse_a", "--label", "测试", stdout=out)
    raw = out.getvalue().strip()
    assert raw and "\n" not in raw
    token = ApiToken.objects.select_related("membership__user").get(
        digest=ApiToken.digest_of(raw))
    assert token.membership.user.username == "nurse_a" and token.label == "测试"


def test_token_command_picks_the_org(demo):
    home_a = _membership("nurse_a").org_id
    out = StringIO()
    call_command("token", "create", "doctor_multi", "--org", str(home_a), stdout=out)
    token = ApiToken.objects.get(digest=ApiToken.digest_of(out.getvalue().strip()))
    assert token.membership.org_id == home_a and token.membership.role == Role.HOME_DOCTOR


def test_token_command_errors(demo):
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("token", "create", "nobody", stdout=StringIO())
    with pytest.raises(CommandError, match="没有有效任职"):
        call_command("token", "create", "nurse_a", "--org", "999999", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_demo_command_without_serving(db):
    out = StringIO()
    call_command("demo", "--no-serve", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text and DEMO_PASSWORD in text
    for username in PERSONAS:
        assert username in text
    assert NursingHome.objects.count() == 6
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)  # second run: nothing new
    assert "跳过" in out.getvalue() and NursingHome.objects.count() == 6


# ---- the process runner -----------------------------------------------------------------

def test_server_env():
    assert server_env(demo=True, base={})["YIYANG_DEMO_MODE"] == "1"
    env = server_env(demo=False, base={"YIYANG_DEMO_MODE": "1"})
    assert "YIYANG_DEMO_MODE" not in env and env["DJANGO_SETTINGS_MODULE"] == "yiyang.settings"


def test_run_services_stops_the_other_when_one_exits():
    started = time.monotonic()
    code = run_services(
        [Service("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"]),
         Service("crasher", [sys.executable, "-c", "import sys; sys.exit(3)"])],
        env=server_env(), log=lambda _: None,
    )
    assert code == 3
    assert time.monotonic() - started < 15


def test_run_services_forwards_a_stop_signal():
    # SIGINT to us (Ctrl-C) → each child gets its own stop signal once; a clean stop is 0.
    handler = signal.getsignal(signal.SIGINT)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    messages: list[str] = []
    try:
        code = run_services(
            [Service("a", [sys.executable, "-c", "import time; time.sleep(60)"]),
             Service("b", [sys.executable, "-c", "import time; time.sleep(60)"],
                     stop_signal=signal.SIGINT)],
            env=server_env(), log=messages.append,
        )
    finally:
        timer.cancel()
    assert code == 0
    assert messages == ["正在停止服务…"]
    assert time.monotonic() - started < 15
    assert signal.getsignal(signal.SIGINT) is handler  # our handler is gone again

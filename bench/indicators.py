"""Indicators and dashboards at province scale (issue "Regulators' workspace" item 6).

    .venv/bin/python bench/indicators.py [--homes 1000] [--residents 200000] [--runs 5]
        [--database-url postgres://...] [--selftest] [--json] [--keep]

On a throwaway database (SQLite in a temporary data directory; with `--database-url` or
`DATABASE_URL`, a fresh PostgreSQL database created next to the one named and dropped at the
end), runs `yiyang gen` at the requested scale, then measures, each timing the best of
`--runs` warm runs:

1. per indicator and in total: the snapshot's compute (`indicator_snapshots.compute_all`, the
   indicator's `compute(None, on)` for every organisation plus the roll-up to regions) against
   the indicator's hand-written SQL baseline (`bench/baselines/*.py`: `BASELINES = {code:
   fn(cursor, prefix, on) -> (numerator, denominator)}`, one SQL statement over the same rows)
   for the province; the baseline's figure must equal the province's roll-up (a mismatch is
   printed loudly and makes the exit status 1). Goal: compute / baseline <= 2.
2. the regulators' dashboard `/indicators/` (`compliance:indicators`) after `take_snapshot`,
   GET with the Django test client logged in as the province's civil-affairs regulator and as
   a county's. Goal: province / county <= 1.5. Skipped with a message when the page does not
   exist yet; `--selftest` serves a stand-in page instead (bench only), and registers a
   stand-in indicator with its baseline, so the harness itself can be checked on a tree
   without the real indicators.

Ratios, never absolute times, are the result (bench/README.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
STANDIN_CODE = "bench_selftest_vaccinated"
STANDIN_PATH = "bench-selftest/indicators/"
COMPUTE_GOAL = 2.0
PAGE_GOAL = 1.5

Baseline = Callable[[Any, str, date], tuple[int, int]]


def best_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Best wall time of `runs` calls after one warm-up call, and the last result."""
    runs = max(1, runs)
    result = fn()
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def discover_baselines(folder: Path = HERE / "baselines") -> dict[str, Baseline]:
    """Every `BASELINES` dict of `folder/*.py`, merged (a code defined twice is an error)."""
    found: dict[str, Baseline] = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"bench_baselines_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for code, fn in getattr(module, "BASELINES", {}).items():
            if code in found:
                raise SystemExit(f"baseline {code} defined twice ({path.name})")
            found[code] = fn
    return found


# --- the stand-ins of --selftest -------------------------------------------------------------


def _standin_compute(org_ids: Any, on: date) -> dict[int, Any]:
    """Residents in residence on `on` with at least one vaccine dose given by then, per home."""
    from django.db.models import Count, Exists, OuterRef, Q

    from yiyang.compliance.indicators.base import Value
    from yiyang.residents.models import Stay, Vaccination

    stays = Stay.objects.filter(admitted_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    if org_ids is not None:
        stays = stays.filter(home_id__in=list(org_ids))
    dosed = Vaccination.objects.filter(person_id=OuterRef("person_id"), given_on__lte=on,
                                       kind__in=["dose", "booster"])
    rows = (stays.order_by().values("home_id")
            .annotate(den=Count("id"), num=Count("id", filter=Exists(dosed))))
    return {r["home_id"]: Value(r["num"], r["den"]) for r in rows}


def _standin_baseline(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    cursor.execute(
        "SELECT COUNT(CASE WHEN EXISTS (SELECT 1 FROM residents_vaccination v"
        " WHERE v.person_id = s.person_id AND v.given_on <= %s"
        " AND v.kind IN ('dose', 'booster')) THEN 1 END), COUNT(*)"
        " FROM residents_stay s JOIN orgs_organisation o ON o.id = s.home_id"
        " WHERE o.is_active AND o.region_code LIKE %s AND s.admitted_on <= %s"
        " AND (s.ended_on IS NULL OR s.ended_on > %s)",
        [on, prefix + "%", on, on])
    num, den = cursor.fetchone()
    return int(num or 0), int(den or 0)


def _register_standin_indicator() -> None:
    from yiyang.compliance import indicators
    from yiyang.compliance.indicators.base import Indicator, Records
    from yiyang.core.permissions import OrgKind

    indicators.register(Indicator(
        code=STANDIN_CODE, title="（压测替身）在住老人新冠疫苗接种率", clause="bench only",
        formula="在住老人中至少接种1剂者 / 在住老人", org_kind=OrgKind.HOME,
        compute=_standin_compute, records=lambda actor, org_id, on: Records((), ()),
        order=9999))


def _standin_page(request: Any) -> Any:
    """What a region's dashboard reads: its own row and its children's rows of the latest
    snapshot (cities for a province, counties for a city, institutions for a county)."""
    from django.http import HttpResponse
    from django.utils.html import escape

    from yiyang.compliance.indicator_snapshots import latest
    from yiyang.compliance.models import OrgIndicatorValue, RegionIndicatorValue
    from yiyang.orgs.middleware import actor_of

    actor = actor_of(request)
    snapshot = latest()
    prefix = actor.region_prefix
    rows: list[tuple[str, str, int, int]] = []
    if snapshot is not None:
        regions = RegionIndicatorValue.objects.visible_to(actor).filter(snapshot=snapshot)
        if len(prefix) < 6:
            child = {2: 4, 4: 6}[len(prefix)]
            wanted = regions.filter(region_code__regex=rf"^{prefix}\d{{{child - len(prefix)}}}$")
            rows += [(r.region_code, r.indicator, r.numerator, r.denominator)
                     for r in (regions.filter(region_code=prefix) | wanted)
                     .order_by("region_code", "indicator")]
        else:
            rows += [(r.region_code, r.indicator, r.numerator, r.denominator)
                     for r in regions.filter(region_code=prefix).order_by("indicator")]
            rows += [(str(v.org_id), v.indicator, v.numerator, v.denominator)
                     for v in OrgIndicatorValue.objects.visible_to(actor)
                     .filter(snapshot=snapshot, region_code__startswith=prefix)
                     .order_by("org_id", "indicator")]
    body = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td><td>{n}</td><td>{d}</td></tr>"
                   for a, b, n, d in rows)
    return HttpResponse(f"<table>{body}</table>")


def _standin_url() -> str:
    from django.urls import clear_url_caches, path

    from yiyang import urls

    urls.urlpatterns.append(path(STANDIN_PATH, _standin_page, name="bench_standin_indicators"))
    clear_url_caches()
    return "/" + STANDIN_PATH


# --- the throwaway database ------------------------------------------------------------------


def _fresh_postgres(url: str) -> tuple[str, Callable[[], None]]:
    """A new database next to the one `url` names; returns its URL and how to drop it."""
    import psycopg

    parts = urlsplit(url)
    name = f"yiyang_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"throwaway database: {name}", file=sys.stderr)

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return urlunsplit(parts._replace(path="/" + name)), drop


# --- the measurements -----------------------------------------------------------------------


def measure_compute(on: date, prefix: str, runs: int,
                    baselines: dict[str, Baseline]) -> dict[str, Any]:
    from django.db import connection

    from yiyang.compliance import indicators
    from yiyang.compliance.indicator_snapshots import compute_all

    rows: list[dict[str, Any]] = []
    mismatches = 0
    codes = [i.code for i in indicators.all_indicators() if i.connected()]
    for code in codes:
        spent, result = best_of(runs, lambda code=code: compute_all(on, [code]))
        value = result[code][1].get(prefix)
        mine = (value.numerator, value.denominator) if value is not None else (0, 0)
        row: dict[str, Any] = {"code": code, "compute_s": spent, "compute": list(mine)}
        fn = baselines.get(code)
        if fn is not None:
            with connection.cursor() as cursor:
                base_spent, base = best_of(runs, lambda fn=fn, cursor=cursor: fn(cursor, prefix,
                                                                                   on))
            base = (int(base[0]), int(base[1]))
            row.update(baseline_s=base_spent, baseline=list(base),
                       ratio=spent / base_spent if base_spent else None, match=base == mine)
            mismatches += base != mine
        rows.append(row)
    total_s, _ = best_of(runs, lambda: compute_all(on, codes))
    measured = [r for r in rows if "baseline_s" in r]
    baseline_total = sum(r["baseline_s"] for r in measured)
    compute_measured = sum(r["compute_s"] for r in measured)
    return {"indicators": rows, "compute_all_s": total_s,
            "compute_with_baseline_s": compute_measured, "baseline_total_s": baseline_total,
            "ratio": compute_measured / baseline_total if baseline_total else None,
            "without_baseline": [r["code"] for r in rows if "baseline_s" not in r],
            "mismatches": mismatches}


def _regulator_user(level: str, region_code: str | None = None) -> Any:
    from yiyang.demo.scale_extras import GEN_USER_PREFIX
    from yiyang.orgs.models import Regulator, User

    regs = Regulator.objects.filter(level=level, department=Regulator.Department.CIVIL_AFFAIRS)
    if region_code:
        regs = regs.filter(region_code=region_code)
    reg = regs.order_by("pk").first()
    return None if reg is None else User.objects.filter(
        username=f"{GEN_USER_PREFIX}{reg.credit_code}").first()


def _busiest_county() -> str:
    from django.db.models import Count

    from yiyang.orgs.models import NursingHome

    row = (NursingHome.objects.values("region_code").annotate(n=Count("id"))
           .order_by("-n", "region_code").first())
    return row["region_code"][:6] if row else ""


def measure_page(on: date, runs: int, selftest: bool) -> dict[str, Any]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from yiyang.compliance.indicator_snapshots import take_snapshot

    try:
        url, page = reverse("compliance:indicators"), "compliance:indicators"
    except NoReverseMatch:
        if not selftest:
            return {"skipped": "页面 compliance:indicators（/indicators/）尚未接入本分支："
                               "跳过页面测量（合并仪表盘后由负责人重跑；"
                               "--selftest 用替身页面检验本工具）"}
        url, page = _standin_url(), "stand-in (bench only)"
    started = time.perf_counter()
    take_snapshot(on)
    snapshot_s = time.perf_counter() - started
    county = _busiest_county()
    out: dict[str, Any] = {"url": url, "page": page, "snapshot_s": snapshot_s,
                           "county": county}
    for label, user in (("province", _regulator_user("province")),
                        ("county", _regulator_user("county", county))):
        if user is None:
            return {"skipped": f"没有 {label} 监管部门的登录账号（yiyang gen 生成）"}
        client = Client()
        client.force_login(user, backend="yiyang.orgs.auth.AccountBackend")

        def get(client: Client = client, name: str = user.username) -> Any:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} as {name}: {response.status_code}")
            return len(response.content)

        spent, size = best_of(runs, get)
        out[f"{label}_s"], out[f"{label}_bytes"] = spent, size
    out["ratio"] = out["province_s"] / out["county_s"] if out["county_s"] else None
    return out


def _print(report: dict[str, Any]) -> None:
    meta, comp = report["meta"], report["compute"]
    print(f"== {meta['vendor']}: {meta['homes']} homes, {meta['residents']} residents, "
          f"gen {meta['gen_s']:.1f} s, prefix {meta['prefix']}, as of {meta['on']}, "
          f"best of {meta['runs']}")
    print(f"{'indicator':<34} {'compute':>9} {'baseline':>9} {'ratio':>6}  value (num/den)")
    for r in comp["indicators"]:
        base = f"{r['baseline_s'] * 1000:8.1f}ms" if "baseline_s" in r else "        —"
        ratio = f"{r['ratio']:6.2f}" if r.get("ratio") else "     —"
        flag = ""
        if "match" in r and not r["match"]:
            flag = f"   !!! MISMATCH: baseline {r['baseline']} != roll-up {r['compute']}"
        print(f"{r['code']:<34} {r['compute_s'] * 1000:7.1f}ms {base} {ratio}  "
              f"{r['compute'][0]}/{r['compute'][1]}{flag}")
    if comp["ratio"] is not None:
        print(f"{'total (with a baseline)':<34} {comp['compute_with_baseline_s'] * 1000:7.1f}ms "
              f"{comp['baseline_total_s'] * 1000:7.1f}ms {comp['ratio']:6.2f}  "
              f"goal <= {COMPUTE_GOAL}")
    print(f"compute_all, every indicator at once: {comp['compute_all_s'] * 1000:.1f} ms")
    if comp["without_baseline"]:
        print("no baseline for: " + ", ".join(comp["without_baseline"]))
    if comp["mismatches"]:
        print(f"!!! {comp['mismatches']} baseline(s) disagree with the roll-up !!!")
    page = report["page"]
    if "skipped" in page:
        print(page["skipped"])
    else:
        print(f"page {page['url']} ({page['page']}), snapshot {page['snapshot_s']:.2f} s: "
              f"province {page['province_s'] * 1000:.1f} ms ({page['province_bytes']} B), "
              f"county {page['county']} {page['county_s'] * 1000:.1f} ms "
              f"({page['county_bytes']} B), ratio {page['ratio']:.2f} (goal <= {PAGE_GOAL})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--residents", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--selftest", action="store_true",
                        help="register a stand-in indicator, baseline and page (bench only)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument("--data-dir", default="",
                        help="use this data directory (SQLite) instead of a temporary one")
    parser.add_argument("--no-gen", action="store_true",
                        help="measure the database as it is (one made by an earlier --keep run "
                             "with --data-dir, or the --database-url itself): no gen")
    args = parser.parse_args(argv)

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="yiyang-bench-indicators-")
    os.environ["YIYANG_DATA_DIR"] = data_dir
    os.environ.pop("YIYANG_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiyang.settings")
    drop: Callable[[], None] | None = None
    if args.database_url and args.no_gen:
        os.environ["DATABASE_URL"] = args.database_url
    elif args.database_url:
        os.environ["DATABASE_URL"], drop = _fresh_postgres(args.database_url)
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    try:
        started = time.perf_counter()
        if args.no_gen:
            from yiyang.orgs.models import NursingHome
            from yiyang.residents.models import Stay

            args.homes, args.residents = NursingHome.objects.count(), Stay.objects.count()
        else:
            out = open(os.devnull, "w") if args.json else sys.stdout  # noqa: SIM115
            call_command("gen", "--homes", str(args.homes), "--residents", str(args.residents),
                         stdout=out)
        gen_s = time.perf_counter() - started
        baselines = discover_baselines()
        if args.selftest:
            _register_standin_indicator()
            baselines[STANDIN_CODE] = _standin_baseline
        on = timezone.localdate()
        prefix = "41"
        report = {
            "meta": {"vendor": connection.vendor, "homes": args.homes,
                     "residents": args.residents, "gen_s": gen_s, "prefix": prefix,
                     "on": on.isoformat(), "runs": args.runs, "selftest": args.selftest},
            "compute": measure_compute(on, prefix, args.runs, baselines),
            "page": measure_page(on, args.runs, args.selftest),
        }
    finally:
        if drop is not None and not args.keep:
            drop()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _print(report)
        print(f"(data directory {data_dir})")
    return 1 if report["compute"]["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())

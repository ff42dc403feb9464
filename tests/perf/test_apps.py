"""The measuring tools stay outside the product: installed only by DOSSIER_PERF=1, imported by no product module."""
import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("dossier", "annotations")


def commands(**env):
    environ = {name: value for name, value in os.environ.items() if name != "DOSSIER_PERF"}
    result = subprocess.run([sys.executable, "manage.py", "help", "--commands"], cwd=ROOT, env={**environ, **env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_the_measuring_commands_exist_only_with_dossier_perf():
    assert {"benchmark", "generate_corpus"} <= commands(DOSSIER_PERF="1")
    without = commands()
    assert "benchmark" not in without and "generate_corpus" not in without
    assert {"demo", "import_articles", "export_summaries", "recompute_summaries"} <= without


def imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    return names + [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]


def test_no_product_module_imports_the_measuring_tools():
    modules = [path for app in PRODUCT for path in sorted((ROOT / app).rglob("*.py"))]
    assert len(modules) > 40
    offenders = {str(path.relative_to(ROOT)): name for path in modules for name in imports(path)
                 if name == "perf" or name.startswith("perf.")}
    assert offenders == {}

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PURE_MODULES = [
    "templates_app.gotemplate",
    "templates_app.gjson",
    "templates_app.xmlmodel",
    "templates_app.output_path",
    "templates_app.conformance",
    "templates_app.validate",
]


def test_the_engines_and_the_model_import_no_django():
    probe = (
        "import importlib, sys\n"
        f"for name in {PURE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True, env={"PATH": ""}
    )
    assert out.stdout.strip() == ""


def test_templates_app_never_imports_integrations():
    """Arrows point one way: integrations uses templates_app, never the reverse."""
    import ast

    offenders = []
    for path in (REPO / "templates_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] == "integrations"]
    assert offenders == []

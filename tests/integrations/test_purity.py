"""The integration core is plain Python: the engine, the auth methods, the CLI import no Django."""

import subprocess
import sys

from tests.shared import REPO

CORE = ["integrations.engine", "integrations.auth", "integrations.errors", "integrations.callrecord", "integrations.run"]


def test_the_integration_core_imports_no_django():
    probe = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"PATH": ""})
    assert out.stdout.strip() == ""

"""CRM users synced into the portal's database per second (5,000 users, 200 a page).

    .venv/bin/python -m bench.users

Runs integrations.users.sync_users, the function the Celery task wraps, against the
tests' local CRM, into a fresh SQLite database in a temporary data folder (set
DATABASE_URL to measure PostgreSQL instead).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from bench.table import print_table


def main() -> int:
    os.environ.setdefault("PBXCRM_DATA_DIR", tempfile.mkdtemp(prefix="pbxcrm-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbxcrm.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from integrations import connecting
    from integrations.users import sync_users
    from tests.integrations.crm_server import CrmServer
    from tests.integrations.crm_templates import crm_template, settings_for

    rows = []
    with CrmServer() as crm:
        crm.state.users = [{"id": f"u{n}", "first_name": f"F{n}", "last_name": "L", "email": f"u{n}@x.com"}
                           for n in range(5000)]
        integration = connecting.activate(connecting.install_template(crm_template("basic")),
                                          settings_for("basic", crm.url))
        for label in ("first sync (inserts)", "second sync (updates)"):
            started = time.perf_counter()
            count = sync_users(integration)
            seconds = time.perf_counter() - started
            rows.append([f"CRM users synced into the database, {label}", f"{count} users",
                         f"{count / seconds:,.0f} users/s", "≥ 2,000 users/s"])
    header = ["benchmark", "size", "result", "goal"]
    print_table(header, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

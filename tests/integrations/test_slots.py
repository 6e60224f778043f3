"""MaxConcurrentRequest without Redis: the database semaphore holds across worker processes."""

from __future__ import annotations

import subprocess
import sys

from tests.integrations.crm_server import CrmServer, contact
from tests.servers import REPO, portal_env

WORKER = """
import sys, django
django.setup()
from concurrent.futures import ThreadPoolExecutor
from integrations.engine import Engine
from integrations.slots import DatabaseSemaphore
from tests.integrations.crm_templates import crm_template, loaded, settings_for
url, count = sys.argv[1], int(sys.argv[2])
template = loaded(crm_template("basic"))
engine = Engine(template, settings=settings_for("basic", url),
                limiter=DatabaseSemaphore(1, template.max_concurrent_requests))
with ThreadPoolExecutor(count) as pool:
    print(sum(len(found) for found in pool.map(lambda _: engine.lookup("+442071838750"), range(count))))
"""


def test_three_processes_on_sqlite_never_exceed_the_limit(tmp_path):
    env = portal_env(tmp_path / "data", DJANGO_SETTINGS_MODULE="pbxcrm.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True)
    with CrmServer() as crm:
        crm.state.contacts = [contact(3, "+442071838750")]
        crm.state.delay = 0.05
        workers = [subprocess.Popen([sys.executable, "-c", WORKER, crm.url, str(n)], cwd=REPO, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in (17, 17, 16)]
        found = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err[-2000:]
            found.append(int(out.strip()))
        assert sum(found) == 50
        assert 1 < crm.state.max_in_flight <= 4

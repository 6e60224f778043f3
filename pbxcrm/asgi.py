"""The ASGI application uvicorn serves (Procfile ``web``): the agent pages' live
streams are coroutines, so hundreds of open pages cost no threads; the PBX's events
are taken in front of Django's stack (pbxcrm/pbx/intake_asgi.py)."""

import gc
import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbxcrm.settings")
# Files (static, recordings) are sent by a plain iterator that Django reads in a thread;
# that is what it warns about, and it is what those responses should do.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
django_application = get_asgi_application()

from pbxcrm.pbx.intake_asgi import EventIntake  # noqa: E402  (after Django is set up)

application = EventIntake(django_application)
# What start-up built lives as long as the process: frozen, the collector's full
# passes (tens of milliseconds over all of it) skip it (pbxcrm/celery.py does the same).
gc.freeze()

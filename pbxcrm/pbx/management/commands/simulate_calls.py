"""python manage.py simulate_calls: realistic call events posted to the intake over HTTP."""

from __future__ import annotations

import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from pbxcrm.pbx import intake, simulator
from pbxcrm.pbx.models import Contact, Extension


class Command(BaseCommand):
    help = ("Post simulated calls' events (30011, 30012) to the portal's event intake: inbound answered, "
            "inbound missed to a ring group, outbound, voicemail, unknown callers, with recordings.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=10, help="calls to simulate (default 10)")
        parser.add_argument("--rate", type=float, default=1.0, help="new calls per second (default 1)")
        parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same calls")
        parser.add_argument("--pace", type=float, default=0.5, help="seconds between two events of a call")
        parser.add_argument("--kind", action="append", choices=simulator.KINDS,
                            help="only calls of this kind (repeatable; default: all kinds in turn)")
        parser.add_argument("--caller", action="append", default=[],
                            help="a known caller's number (repeatable; default: the company contacts' numbers)")
        parser.add_argument("--extension", action="append", default=[],
                            help="an extension that takes calls (repeatable; default: every extension)")
        parser.add_argument("--recorded", type=float, default=0.5, help="share of answered calls recorded (0–1)")
        parser.add_argument("--url", default="", help="the portal (default: PBXCRM_PUBLIC_URL)")

    def handle(self, *args, **options) -> None:
        extensions = options["extension"] or list(Extension.objects.values_list("number", flat=True)[:50])
        callers = options["caller"] or [
            n for c in Contact.objects.prefetch_related("numbers")[:50] for n in [x.number for x in c.numbers.all()][:1]
        ]
        try:
            calls = simulator.plan(options["count"], seed=options["seed"], extensions=extensions, callers=callers,
                                   kinds=tuple(options["kind"] or simulator.KINDS), pace=options["pace"],
                                   recorded=options["recorded"], sn=intake.pbx_settings().serial_number or "3631A2124XXX")
        except ValueError as err:
            raise CommandError(str(err)) from None
        simulator.write_recordings(calls, settings.RECORDINGS_DIR)
        url = (options["url"] or settings.PUBLIC_URL).rstrip("/") + reverse("pbx:events")

        def posted(call: simulator.SimulatedCall, event: dict) -> None:
            if event["type"] == 30012 and options["verbosity"] >= 1:
                self.stdout.write(f"{call.call_id}  {call.kind:<21} {call.external:<14} → "
                                  f"{call.answered_by or ','.join(call.extensions)}"
                                  f"{'  (recorded)' if call.recording else ''}")

        report = asyncio.run(simulator.post(calls, url, intake.event_token(), rate=options["rate"], on_posted=posted))
        for problem in report.refused:
            self.stderr.write(f"refused: {problem}")
        self.stdout.write(f"{report.posted} events posted for {len(calls)} calls in {report.seconds:.1f} s"
                          f"{f'; {len(report.refused)} refused' if report.refused else ''}")
        if report.refused:
            raise CommandError(f"{len(report.refused)} events were refused")

"""The call pipeline: what the PBX's call events make the integration do.

    handle_event(event_pk)      # a stored 30011/30012 (pbxcrm/pbx/intake.py) applied
    handle_events(event_pks)    # a batch of them, those that need no CRM together

In order, for a call of an associated extension (or every extension when association
is off), each step idempotent, its state in the database:

- ``calls.py``     an event applied to the call's state; what it triggers
- ``lookup.py``    the one lookup of the caller (PBX contacts first unless Always Query
                   CRM), a match synced into the phonebook
- ``popups.py``    what each agent page is told, pushed to its live stream
- ``contacts.py``  the contact created for an unknown number, once per number
- ``journal.py``   the durable outbox that journals the call into the CRM
- ``engines.py``   one request engine per worker thread and integration

Celery tasks (integrations/tasks.py) only call these functions. docs/calls.md says
what happens when, and why.
"""

from .calls import handle_event, handle_events

__all__ = ["handle_event", "handle_events"]

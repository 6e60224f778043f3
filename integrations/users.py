"""User association: CRM users synced from the CRM, matched with extensions.

    sync_users(integration)             # every page of CRM users into the database
    plan = match_by_email(integration)  # matches and conflicts, nothing saved
    apply_matches(plan)                 # the matches saved
    associate(crm_user, extensions)     # by hand

Idempotent: a sync run again (or twice at once) leaves the same rows; users the CRM no
longer lists go, with their associations. Progress is written to the integration as
the pages arrive, for the page's indicator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from pbxcrm.pbx.models import Extension

from .connecting import engine_for
from .errors import CrmError
from .models import Association, CrmUser, Integration

BATCH = 500


def _progress(integration: Integration, state: str, count: int, detail: str = "") -> None:
    changes = {"users_sync_state": state, "users_sync_count": count, "users_sync_detail": detail[:500]}
    if state == "done":
        changes["users_synced_at"] = timezone.now()
    Integration.objects.filter(pk=integration.pk).update(**changes)


def sync_users(integration: Integration) -> int:
    """Read every CRM user (all pages) into CrmUser; the number read."""
    started = timezone.now()
    _progress(integration, "running", 0)
    count = 0
    batch: list[CrmUser] = []
    try:
        with engine_for(integration) as engine:
            engine.connect()
            for user in engine.users():
                crm_id = user.get("UserUniqueId", "").strip()
                if not crm_id:
                    continue
                batch.append(CrmUser(
                    integration=integration, crm_id=crm_id[:200], first_name=user.get("FirstName", "")[:200],
                    last_name=user.get("LastName", "")[:200], email=user.get("Email", "").strip()[:320],
                    synced_at=started,
                ))
                if len(batch) >= BATCH:
                    count += _save(batch)
                    batch = []
                    _progress(integration, "running", count)
            count += _save(batch)
    except CrmError as err:
        _progress(integration, "failed", count, str(err))
        raise
    # Users the CRM no longer lists were not touched by this sync.
    CrmUser.objects.filter(integration=integration, synced_at__lt=started).delete()
    _progress(integration, "done", count)
    return count


def _save(batch: list[CrmUser]) -> int:
    if batch:
        CrmUser.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["integration", "crm_id"],
            update_fields=["first_name", "last_name", "email", "synced_at"], batch_size=BATCH,
        )
    return len(batch)


@dataclass
class Conflict:
    email: str
    crm_users: list[CrmUser]
    extensions: list[Extension]


@dataclass
class MatchPlan:
    """What Associate Automatically would do: matches to save, conflicts to settle by hand."""

    integration: Integration
    matches: list[tuple[CrmUser, Extension]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def normal_email(email: str) -> str:
    return email.strip().casefold()


def match_by_email(integration: Integration) -> MatchPlan:
    """Pair CRM users and extensions with the same email (trimmed, case-insensitive).

    An email held by two CRM users, or by a CRM user and two extensions, is a conflict:
    shown, not guessed."""
    users: dict[str, list[CrmUser]] = defaultdict(list)
    for user in CrmUser.objects.filter(integration=integration).exclude(email=""):
        users[normal_email(user.email)].append(user)
    extensions: dict[str, list[Extension]] = defaultdict(list)
    for extension in Extension.objects.exclude(email=""):
        extensions[normal_email(extension.email)].append(extension)
    plan = MatchPlan(integration)
    for email in sorted(set(users) & set(extensions)):
        if len(users[email]) == 1 and len(extensions[email]) == 1:
            plan.matches.append((users[email][0], extensions[email][0]))
        else:
            plan.conflicts.append(Conflict(email, users[email], extensions[email]))
    return plan


@transaction.atomic
def apply_matches(plan: MatchPlan) -> int:
    """Save the plan's matches (an extension's earlier association is replaced)."""
    for crm_user, extension in plan.matches:
        Association.objects.update_or_create(
            integration=plan.integration, extension=extension, defaults={"crm_user": crm_user}
        )
    return len(plan.matches)


@transaction.atomic
def associate(crm_user: CrmUser, extensions: Iterable[Extension]) -> None:
    """Exactly these extensions for this CRM user (each taken from any other user)."""
    chosen = list(extensions)
    Association.objects.filter(integration=crm_user.integration, crm_user=crm_user).exclude(
        extension__in=chosen
    ).delete()
    for extension in chosen:
        Association.objects.update_or_create(
            integration=crm_user.integration, extension=extension, defaults={"crm_user": crm_user}
        )


def crm_user_for(integration: Integration, extension: Extension) -> CrmUser | None:
    """The CRM user an extension acts as, or None (then, with association on, no CRM features)."""
    found = Association.objects.filter(integration=integration, extension=extension).select_related("crm_user").first()
    return found.crm_user if found else None

"""The duty lines with their actor kinds, kept in the shared cache.

Every task list shows the duties of the kinds its user may see (the filter's
choices, the rows' references). They are the source document's lines: their
words are read-only in the admin, and only their scheduling fields change.
Asking PostgreSQL for them on every list cost a query, so the whole catalogue
(a few dozen rows) is kept for DUTY_CATALOGUE_SECONDS. Saving or deleting a
duty or an actor kind drops it (signals below); a change that skips signals
(a queryset update in a migration) shows within DUTY_CATALOGUE_SECONDS. When
the cache does not answer, the catalogue is read from the database.

Only what is shown comes from here; a chosen duty is still validated against
the database (the filter form's queryset).
"""

import hashlib

import django
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from actors.models import ActorKind
from core.cache import cache_call

from .models import Duty


def _key():
    # Django's version and the fields are in the key: an entry pickled by
    # another version of Django or of the models is never read back.
    fields = ",".join(f.attname for model in (Duty, ActorKind) for f in model._meta.concrete_fields)
    version = f"{django.get_version()}:{fields}"
    return f"duty-catalogue:{hashlib.sha1(version.encode()).hexdigest()[:12]}"


KEY = _key()


def duty_catalogue():
    """Every duty, with its kind, in the duties' own order."""
    seconds = settings.DUTY_CATALOGUE_SECONDS
    if seconds > 0:
        kept = cache_call("get", KEY)
        if kept is not None:
            return kept
    duties = list(Duty.objects.select_related("kind"))
    if seconds > 0:
        cache_call("set", KEY, duties, seconds)
    return duties


def duties_of_kinds(kind_ids):
    return [duty for duty in duty_catalogue() if duty.kind_id in kind_ids]


@receiver([post_save, post_delete], sender=Duty)
@receiver([post_save, post_delete], sender=ActorKind)
def forget_duty_catalogue(**kwargs):
    cache_call("delete", KEY)

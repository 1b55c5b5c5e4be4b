"""The duty lines with their actor kinds, kept in each process.

Every task list shows the duties of the kinds its user may see (the filter's
choices, the rows' references). They are the source document's lines: their
words are read-only in the admin, and only their scheduling fields change.
Asking PostgreSQL for them on every list cost a query, and keeping the list
itself in Redis cost as much again in unpickling a few dozen model objects,
so each process keeps the catalogue in memory and the shared cache holds
only a version: a random token, read on every list (a few bytes).

Saving or deleting a duty or an actor kind drops the version (signals below),
once at once and once more when the transaction commits, so every process
reads the catalogue again on its next list. A kept catalogue is never older
than DUTY_CATALOGUE_SECONDS, which bounds a change that skips signals (a
queryset update in a migration). When the cache does not answer, the
catalogue is read from the database on every list; 0 seconds does the same.

What is made from the duties alone is kept with them in `Catalogue.memo`
(the unbound task filter's HTML, see duties.views.filter_html), and goes
when they go.

Only what is shown comes from here; a chosen duty is still validated against
the database (the filter form's queryset). The objects are shared by every
request of the process: read them, never change them.
"""

import secrets
import time

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from actors.models import ActorKind
from core.cache import cache_call

from .models import Duty

KEY = "duty-catalogue:version"


class Catalogue(list):
    """The duties in their order, and `memo` ({key: value}): what was made
    from them alone, kept exactly as long as they are."""

    def __init__(self, duties):
        super().__init__(duties)
        self.memo = {}

    def of_kinds(self, kind_ids):
        return [duty for duty in self if duty.kind_id in kind_ids]


# (version token, _clock() when read, Catalogue) of this process.
_kept = None
_clock = time.monotonic


def _read():
    return Catalogue(Duty.objects.select_related("kind"))


def _current_version():
    """The shared version token, made when there is none; None when the
    cache does not answer."""
    token = cache_call("get", KEY)
    if token is None:
        # add() leaves a token another process made meanwhile; then read the winner.
        cache_call("add", KEY, secrets.token_hex(8), None)
        token = cache_call("get", KEY)
    return token


def duty_catalogue():
    """Every duty, with its kind, in the duties' own order (a Catalogue)."""
    global _kept
    seconds = settings.DUTY_CATALOGUE_SECONDS
    if seconds <= 0:
        return _read()
    # The version is read before the rows: a drop in between only makes the
    # next list read them again.
    token = _current_version()
    if token is None:
        return _read()
    kept, now = _kept, _clock()
    if kept is not None and kept[0] == token and now - kept[1] < seconds:
        return kept[2]
    duties = _read()
    _kept = (token, now, duties)
    return duties


def _drop():
    cache_call("delete", KEY)


@receiver([post_save, post_delete], sender=Duty)
@receiver([post_save, post_delete], sender=ActorKind)
def forget_duty_catalogue(**kwargs):
    # Now, for this connection's next list, and after the commit, for a
    # process that read the rows before the change was visible to it.
    global _kept
    _kept = None
    _drop()
    transaction.on_commit(_drop)

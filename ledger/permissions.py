"""Who sees which actor's duty ledger, following the seed's lines of
answerability (docs/seed, DOMAIN.md):

- each provincial actor's members (a membership in force today,
  actors.permissions.current_group_ids) see and write their own ledger;
- the TK (tk-provinsi) reads the ledgers of PjOProv and KMW of its province;
- the Governor's office reads every provincial actor's ledger of its
  province (its duty 4: supervising the TK's performance);
- seknas (reports.permissions.is_national_viewer) reads every ledger.

Everyone else sees nothing: an actor one may not see is a 404, exactly like
a missing one; a write on a ledger one may only read is a 403. A superuser
is not a shortcut (no membership, no ledger)."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from actors.models import Actor, ActorKind
from actors.permissions import current_group_ids
from core.permissions import is_active
from reports.permissions import is_national_viewer

# Whose ledgers a kind reads in its own province, besides its own.
READS_IN_PROVINCE = {
    ActorKind.TK_PROVINSI: (ActorKind.PJOPROV, ActorKind.KMW),
}
# Kinds that read every provincial actor's ledger of their province.
READS_WHOLE_PROVINCE = (ActorKind.GUBERNUR,)


def is_national(user):
    """Seknas: every ledger, read-only."""
    return is_active(user) and is_national_viewer(user)


def own_actors(user):
    """The provincial actors whose ledger the user writes (a membership in force)."""
    if not is_active(user):
        return Actor.objects.none()
    return Actor.objects.provincial().filter(group__in=current_group_ids(user))


def visible_actors(user):
    """The provincial actors whose ledger the user may read (a queryset, one
    statement when evaluated)."""
    if not is_active(user):
        return Actor.objects.none()
    provincial = Actor.objects.provincial()
    if is_national(user):
        return provincial
    own = own_actors(user)
    seen = Q(pk__in=own.values("pk"))
    for kind, kinds in READS_IN_PROVINCE.items():
        provinces = own.filter(kind__code=kind).values("province_id")
        seen |= Q(province__in=provinces, kind__code__in=kinds)
    whole = own.filter(kind__code__in=READS_WHOLE_PROVINCE).values("province_id")
    seen |= Q(province__in=whole)
    return provincial.filter(seen)


def may_view(user, actor):
    return actor is not None and visible_actors(user).filter(pk=actor.pk).exists()


def may_write(user, actor):
    return actor is not None and own_actors(user).filter(pk=actor.pk).exists()


def actor_for_view_or_404(user, actor_pk):
    """The provincial actor (province and kind loaded) whose ledger the user
    may read; 404 when missing or not visible, alike."""
    actor = visible_actors(user).select_related("province", "kind").filter(pk=actor_pk).first()
    if actor is None:
        raise Http404
    return actor


def actor_for_write_or_404(user, actor_pk):
    """As actor_for_view_or_404, and 403 when the ledger is only readable."""
    actor = actor_for_view_or_404(user, actor_pk)
    if not may_write(user, actor):
        raise PermissionDenied
    return actor


def viewer_groups(user):
    """The user's groups (through a membership in force) that open some
    ledger: any provincial actor's (its own ledger at least) or seknas's.
    Any at all shows the navigation's "Buku tugas" (home.badges)."""
    if not is_active(user):
        return Group.objects.none()
    return Group.objects.filter(pk__in=current_group_ids(user)).filter(
        Q(actor__province__isnull=False) | Q(actor__kind__code=ActorKind.SEKNAS, actor__province__isnull=True)
    )

"""Writes that matter for actors and memberships. Views, admin actions,
commands and tasks call these; nothing else saves these models directly."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import audit, clock

from ..models import Membership, User


def validate_position(actor, position):
    kinds = list(position.kinds.all())
    if kinds and actor.kind not in kinds:
        raise ValidationError(
            {
                "position": _("Jabatan %(position)s tidak tersedia untuk %(kind)s.")
                % {"position": position.name, "kind": actor.kind.short_name}
            }
        )


@transaction.atomic
def do_add_membership(
    *,
    user,
    actor,
    position,
    start_date,
    end_date=None,
    mode=Membership.Mode.DEFINITIVE,
    by=None,
    acting_for=None,
    decree=None,
    predecessor=None,
):
    """Seat a person in an actor for a term and give them the actor's access
    when the term has started. Atomic; validates the term and the position.
    `decree` is the SK that grants it; `acting_for` the official a Plt./Pj./Plh.
    stands in for; `predecessor` the membership this one takes over from."""
    validate_position(actor, position)
    membership = Membership(
        user=user,
        actor=actor,
        position=position,
        start_date=start_date,
        end_date=end_date,
        mode=mode,
        acting_for=acting_for,
        decree=decree,
        predecessor=predecessor,
    )
    membership.full_clean()
    membership.save()
    audit.record(
        by,
        "membership.created",
        membership,
        summary=str(membership),
        changes={
            "after": {
                "start_date": str(start_date),
                "end_date": str(end_date) if end_date else None,
                "mode": mode,
                "acting_for": acting_for.pk if acting_for else None,
                "decree": decree.number if decree else None,
                "predecessor": predecessor.pk if predecessor else None,
            }
        },
        on_behalf_of=on_behalf_of(by, decree.proposal.approver_actor) if decree else "",
    )
    sync_user_groups(user)
    return membership


@transaction.atomic
def do_end_membership(membership, *, end_date, by=None):
    """End a term on `end_date` (inclusive). Access goes the day after."""
    before = membership.end_date
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    audit.record(
        by,
        "membership.ended",
        membership,
        summary=str(membership),
        changes={"before": {"end_date": str(before) if before else None}, "after": {"end_date": str(end_date)}},
    )
    sync_user_groups(membership.user)
    return membership


def _desired_pairs(memberships, on):
    return {(m.user_id, m.actor.group_id) for m in memberships if m.is_current(clock.local_today(m.actor.province, on))}


def _apply(desired, actual, by=None):
    through = User.groups.through
    to_add = desired - actual
    to_remove = actual - desired
    if to_add:
        through.objects.bulk_create(
            [through(user_id=user_id, group_id=group_id) for user_id, group_id in to_add], ignore_conflicts=True
        )
    if to_remove:
        condition = Q()
        for user_id, group_id in to_remove:
            condition |= Q(user_id=user_id, group_id=group_id)
        through.objects.filter(condition).delete()
    return len(to_add), len(to_remove)


def _memberships():
    # Terms are compared with each province's own calendar date.
    return Membership.objects.select_related("actor__province")


@transaction.atomic
def sync_user_groups(user, on=None):
    """Make the user's actor groups match their memberships in force today."""
    desired = _desired_pairs(_memberships().filter(user=user), on)
    actual = set(
        User.groups.through.objects.filter(user=user, group__actor__isnull=False).values_list("user_id", "group_id")
    )
    return _apply(desired, actual)


@transaction.atomic
def sync_actor_groups(on=None):
    """Reconcile every actor group with the memberships in force on `on`
    (default: today in each province's own time zone). Idempotent: a second
    run changes nothing. Returns (added, removed)."""
    desired = _desired_pairs(_memberships(), on)
    actual = set(User.groups.through.objects.filter(group__actor__isnull=False).values_list("user_id", "group_id"))
    return _apply(desired, actual)


def current_memberships(user, on=None):
    return (
        Membership.objects.current(on)
        .filter(user=user)
        .select_related("actor__kind", "actor__province", "position")
        .order_by("actor__kind__order")
    )


def on_behalf_of(user, actor, on=None):
    """The audit stamp 'a.n. Ketua TK PNPM-MP Provinsi Jawa Tengah (Plt.)' when the user acts in
    `actor` only through an acting (Plt./Pj./Plh.) membership, else ''."""
    if user is None or not user.is_authenticated or actor is None:
        return ""
    memberships = list(current_memberships(user, on).filter(actor=actor))
    if not memberships or any(not m.is_acting for m in memberships):
        return ""
    m = memberships[0]
    return f"a.n. {m.position.name} {actor.name} ({m.get_mode_display()})"

"""Who a meeting invites and what they are told: the members of the
province and of the invited actors, the recipients of its messages, who may
attend, the default chair, the invitable actors, and the invitation and
notices (through the outbox, core.notifications)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from actors.models import Actor, Membership, User
from core.notifications import notify

from ._common import _url, _when


def province_members(province_id, on=None):
    """People with a membership in force in an actor of the province."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.current(on).filter(actor__province_id=province_id).values("user_id"),
    )


def actor_members(actor_ids, on=None):
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.current(on).filter(actor_id__in=actor_ids).values("user_id")
    )


def invited_actor_ids(meeting):
    return {meeting.actor_id, *meeting.invited_actors.values_list("pk", flat=True)}


def recipients(meeting, on=None):
    """Everyone a message about the meeting goes to: current members of the
    holding and invited actors, and the people invited by name who are still
    current members of an actor of the province."""
    by_actor = actor_members(invited_actor_ids(meeting), on)
    by_name = province_members(meeting.actor.province_id, on).filter(pk__in=meeting.invited_people.values("pk"))
    return list(User.objects.filter(Q(pk__in=by_actor.values("pk")) | Q(pk__in=by_name.values("pk"))))


def eligible_attendees(meeting):
    """People whose attendance may be recorded: the invitees as above, plus
    whoever is already on the list (a member who has left since)."""
    recorded = meeting.attendance.filter(user__isnull=False).values("user_id")
    return User.objects.filter(Q(pk__in=[u.pk for u in recipients(meeting)]) | Q(pk__in=recorded)).order_by(
        "full_name", "username"
    )


def default_chair(actor, on=None):
    """The one current head of the actor (Ketua, PjOProv...), if there is exactly one."""
    heads = list(
        Membership.objects.current(on).filter(actor=actor, position__is_head=True).values_list("user_id", flat=True)
    )
    return User.objects.filter(pk=heads[0], is_active=True).first() if len(set(heads)) == 1 else None


def invitable_actors(meeting):
    return Actor.objects.filter(province_id=meeting.actor.province_id).exclude(pk=meeting.actor_id)


def notify_invitees(meeting, key, subject, body, on=None):
    return notify(recipients(meeting, on), key=key, subject=subject, body=body, url=_url(meeting))


def invitation_body(meeting):
    agenda = "\n".join(f"{item.order}. {item.title}" for item in meeting.agenda.all())
    body = _("Waktu: %(when)s\nTempat: %(place)s") % {"when": _when(meeting), "place": meeting.location or "-"}
    if agenda:
        body += "\n" + _("Agenda:") + "\n" + agenda
    return body


def invitation_message(meeting):
    """The invitation's outbox key, subject and body (keyword arguments for
    notify_invitees, or for a core.notifications.Message with the recipients and url)."""
    return {
        "key": f"meeting-invitation:{meeting.pk}",
        "subject": _("Undangan: %(title)s %(actor)s, %(when)s")
        % {"title": meeting.label, "actor": meeting.actor.name, "when": _when(meeting)},
        "body": invitation_body(meeting),
    }


def send_invitations(meeting, on=None):
    """The invitation, once per person (new invitees get it when added)."""
    return notify_invitees(meeting, **invitation_message(meeting), on=on)

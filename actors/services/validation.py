"""Rules about memberships and accounts that appointments (and the admin)
check: one head per seat at a time, one person one account. Raise or return;
write nothing. The rules of a proposal itself: appointments.validation."""

from django.db.models import Q, Value
from django.db.models.functions import Replace

from ..models import Membership, User, normalise_nip


def identity_q(nip, email, nip_field="nip_key", username=True):
    nip, email = normalise_nip(nip), (email or "").strip()
    q = Q()
    if nip:
        q |= Q(**{nip_field: nip})
        if username:
            # Accounts made from a proposal are named after the NIP.
            q |= Q(username=nip)
    if email:
        q |= Q(email__iexact=email)
    return q


def accounts_matching(nip="", email=""):
    """Accounts of the person with this NIP (spaces ignored; an account whose
    username is the NIP counts too) or this email (any case), oldest first."""
    q = identity_q(nip, email)
    if not q:
        return User.objects.none()
    return User.objects.annotate(nip_key=Replace("nip", Value(" "), Value(""))).filter(q).order_by("pk")


def head_conflicts(*, actor, position, mode, start_date, end_date, predecessor=None, exclude_user=None):
    """Memberships that would sit in the same head seat (ketua, PjOProv,
    koordinator...) at the same time as the proposed term. A definitive head
    conflicts with definitive heads, an acting one with acting ones; the
    `predecessor` (the head in post, ended by the appointment) does not count."""
    if not position.is_head:
        return Membership.objects.none()
    acting = mode != Membership.Mode.DEFINITIVE
    qs = Membership.objects.filter(actor=actor, position=position).exclude(end_date__lt=start_date)
    qs = qs.exclude(mode=Membership.Mode.DEFINITIVE) if acting else qs.filter(mode=Membership.Mode.DEFINITIVE)
    if end_date is not None:
        qs = qs.filter(start_date__lte=end_date)
    if predecessor is not None:
        qs = qs.exclude(pk=predecessor.pk)
    return qs.select_related("user", "position")


def head_in_post(actor, position, mode, start_date):
    """The definitive head whose term the new one ends: in post before
    `start_date` and not ended before it."""
    if not position.is_head or mode != Membership.Mode.DEFINITIVE:
        return None
    return (
        Membership.objects.filter(
            actor=actor, position=position, mode=Membership.Mode.DEFINITIVE, start_date__lt=start_date
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .select_related("user")
        .order_by("-start_date")
        .first()
    )

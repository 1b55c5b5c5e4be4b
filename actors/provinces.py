"""Adding a province (a new one is formed, as the four Papua provinces were
in 2022): the province row, and an actor with its own auth group for every
provincial actor kind. The next reconcile gives the new actors their tasks."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit

from .models import Actor, ActorKind, Province


@transaction.atomic
def do_add_province(*, code, name, timezone, bps_code="", by=None):
    """Create the province and its actors. Atomic; refuses a code or name in use."""
    province = Province(code=code, name=name, timezone=timezone, bps_code=bps_code)
    province.full_clean()
    if not code.isdigit():
        raise ValidationError({"code": _("Kode Kemendagri terdiri dari 2 angka, mis. 97.")})
    province.save()
    actors = []
    for kind in ActorKind.objects.filter(level=ActorKind.Level.PROVINCIAL):
        group = Group.objects.create(name=Actor.group_name_for(kind.code, province.code))
        actors.append(Actor.objects.create(kind=kind, province=province, group=group))
    audit.record(
        by,
        "province.created",
        province,
        summary=str(province),
        changes={"after": {"code": code, "name": name, "timezone": timezone, "actors": len(actors)}},
    )
    return province

"""Demo accounts for Jawa Tengah (33), DI Yogyakarta (34) and seknas."""

import datetime

from django.conf import settings
from django.db import transaction

from core import clock

from . import services
from .models import Actor, ActorKind, Membership, Position, User

# username, full name, kind, province code (None: national), position
DEMO_ACCOUNTS = [
    ("demo-gubernur", "Staf Biro Pemerintahan Jawa Tengah", ActorKind.GUBERNUR, "33", "staf-biro"),
    ("demo-tkpkd", "Anggota TKPKD Jawa Tengah", ActorKind.TKPKD, "33", "anggota"),
    ("demo-tk", "Sekretaris TK PNPM-MP Jawa Tengah", ActorKind.TK_PROVINSI, "33", "sekretaris"),
    ("demo-pjoprov", "PjOProv Jawa Tengah", ActorKind.PJOPROV, "33", "pjoprov"),
    ("demo-kmw", "Koordinator KMW Jawa Tengah", ActorKind.KMW, "33", "koordinator"),
    ("demo-pjoprov-diy", "PjOProv DI Yogyakarta", ActorKind.PJOPROV, "34", "pjoprov"),
    ("demo-seknas", "Staf Seknas PNPM-MP", ActorKind.SEKNAS, None, "staf-sekretariat"),
]
DEMO_ADMIN = "demo-admin"


def demo_term_start(today):
    return datetime.date(today.year, 1, 1)


@transaction.atomic
def create_demo_accounts(today=None):
    """Create the demo users and their memberships. Idempotent: an existing
    account or membership is left as it is. Returns the usernames created."""
    today = clock.local_today(on=today)
    created = []
    for username, full_name, kind, province_code, position_code in DEMO_ACCOUNTS:
        # An address each, so that the console mail backend shows (in the
        # worker's output) the mail a person would get, with its links.
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "email": f"{username}@example.invalid"}
        )
        if was_created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created.append(username)
        actor = Actor.objects.get(kind__code=kind, province__code=province_code)
        if not Membership.objects.filter(user=user, actor=actor).exists():
            services.do_add_membership(
                user=user,
                actor=actor,
                position=Position.objects.get(code=position_code),
                start_date=demo_term_start(today),
            )
    if not User.objects.filter(username=DEMO_ADMIN).exists():
        User.objects.create_superuser(DEMO_ADMIN, "admin@example.invalid", settings.DEMO_PASSWORD, full_name="Admin")
        created.append(DEMO_ADMIN)
    return created

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core.management.commands.bench import parse_sizes

# username, actor kind, province code (None: national), position
LOAD_USERS = [
    ("load-pjoprov", "pjoprov", "33", "pjoprov"),
    ("load-gubernur", "gubernur", "33", "staf-biro"),
    ("load-tk", "tk-provinsi", "33", "sekretaris"),
    ("load-kmw", "kmw", "33", "koordinator"),
    ("load-seknas", "seknas", None, "staf-sekretariat"),
]


class Command(BaseCommand):
    help = (
        "Prepare the `make loadtest` database '<name>_load': migrated, grown to --size tasks with the "
        "benchmark's data builder (duties.bench.build_dataset), and users of several roles with --password. "
        "Kept between runs (growing is idempotent). Prints the database name on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=lambda v: parse_sizes(v)[-1], default=100_000)
        parser.add_argument("--password", required=True)

    def handle(self, *args, size, password, **options):
        from actors.models import Actor, Membership, Position, User
        from actors.services import do_add_membership
        from duties import bench

        db = settings.DATABASES["default"]
        db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_load"
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
        self.stdout.write(f"database: {name}")
        bench.build_dataset(size, log=self.stdout.write)
        with transaction.atomic():
            for username, kind, province, position in LOAD_USERS:
                user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
                user.set_password(password)
                user.save(update_fields=["password"])
                actor = Actor.objects.get(kind__code=kind, province__code=province)
                if not Membership.objects.filter(user=user, actor=actor).exists():
                    do_add_membership(
                        user=user,
                        actor=actor,
                        position=Position.objects.get(code=position),
                        start_date=datetime.date(2000, 1, 1),
                    )
        self.stdout.write(", ".join(u[0] for u in LOAD_USERS))
        self.stdout.write(name)

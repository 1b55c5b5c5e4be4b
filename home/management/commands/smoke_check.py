"""Checks that a database (e.g. one just restored from a backup) is usable by
this release: reachable, fully migrated, reference data complete. Exits
non-zero with the reasons otherwise."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Smoke checks for a (restored) database: connection, migrations, reference data; prints row counts."

    def handle(self, *args, **options):
        from actors.models import Actor, ActorKind, Membership, Province, User
        from core.models import AuditEvent, Notification
        from documents import services as documents
        from documents.models import Document
        from duties.models import Duty, Task
        from regions.loading import province_differences
        from regions.models import Region

        connection = connections[DEFAULT_DB_ALIAS]
        problems = []
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            problems.append(f"{len(pending)} migrations not applied (run manage.py migrate)")
        provinces = Province.objects.count()
        if provinces < 38:
            problems.append(f"{provinces} provinces, expected at least 38")
        kinds = set(ActorKind.objects.values_list("code", flat=True))
        missing_kinds = {"gubernur", "tkpkd", "tk-provinsi", "pjoprov", "kmw", "seknas", "tk-pusat"} - kinds
        if missing_kinds:
            problems.append(f"actor kinds missing: {sorted(missing_kinds)}")
        duties = Duty.objects.filter(kind__seed_number__isnull=False).count()
        if duties < 33:
            problems.append(f"{duties} duties of the seed, expected 33")
        provincial_kinds = ActorKind.objects.filter(level=ActorKind.Level.PROVINCIAL).count()
        if Actor.objects.provincial().count() != provinces * provincial_kinds:
            problems.append("some province lacks one of its actors")
        counts = {
            "provinces": provinces,
            "actors": Actor.objects.count(),
            "users": User.objects.count(),
            "memberships": Membership.objects.count(),
            "tasks": Task.objects.count(),
            "audit_events": AuditEvent.objects.count(),
            "notifications": Notification.objects.count(),
            "documents": Document.objects.count(),
            "regions": Region.objects.count(),
        }
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
        # Not failures of the database, but worth a look after a restore or a move.
        waiting = {kind: n for kind, n in documents.missing_counts().items() if n}
        if waiting:
            self.stdout.write(f"note: documents not issued yet (run manage.py issue_documents): {waiting}")
        unsigned = documents.unsigned_provinces()
        if unsigned:
            codes = ", ".join(p.code for p in unsigned)
            self.stdout.write(
                f"note: no usable signing certificate (missing, cannot be opened, expired) for province(s) {codes}"
            )
        if not counts["regions"]:
            self.stdout.write(
                "note: the official region tree is not loaded; assessment rows cannot name a unit "
                "(run manage.py load_regions)"
            )
        else:
            missing_in_tree = province_differences()[0]
            if missing_in_tree:
                self.stdout.write(f"note: province(s) without units in the region tree: {', '.join(missing_in_tree)}")
        if problems:
            raise CommandError("smoke check failed: " + "; ".join(problems))
        self.stdout.write("smoke check: ok")

"""'Terlambat sejak' was the day the reconcile noticed; it is the first day
after the deadline (the reconcile now writes due_date + 1)."""

import datetime

from django.db import migrations
from django.db.models import F


def day_after_deadline(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Report.objects.filter(overdue_since__isnull=False, due_date__isnull=False).update(
        overdue_since=F("due_date") + datetime.timedelta(days=1)
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_report_types")]

    operations = [migrations.RunPython(day_after_deadline, migrations.RunPython.noop)]

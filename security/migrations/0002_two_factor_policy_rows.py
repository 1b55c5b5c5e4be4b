"""One two-factor policy per actor kind: optional for the Governor's office
and seknas (the accounts that approve and that see every province), off for
the others. An admin makes it required per kind."""

from django.db import migrations

OPTIONAL = ("gubernur", "seknas")


def create_rows(apps, schema_editor):
    ActorKind = apps.get_model("actors", "ActorKind")
    TwoFactorPolicy = apps.get_model("security", "TwoFactorPolicy")
    for kind in ActorKind.objects.all():
        TwoFactorPolicy.objects.get_or_create(
            kind=kind, defaults={"mode": "optional" if kind.code in OPTIONAL else "off"}
        )


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]

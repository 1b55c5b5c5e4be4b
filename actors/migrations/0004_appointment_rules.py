"""Who proposes and who approves appointments, from the issue. An
administrator can change these rows afterwards (admin: Aturan penetapan).

- TK PNPM-MP Provinsi and PjOProv posts: proposed by PjOProv (the head of the
  TK secretariat) or the TK secretariat, approved by the Gubernur's office,
  with a decree (SK Gubernur).
- TKPKD: proposed by TKPKD, approved by the Gubernur's office, with a decree.
- KMW staff: proposed by the KMW coordinator, registered (no decree) by
  TK PNPM-MP Provinsi.
"""

from django.db import migrations

# target kind, proposer kinds, proposer positions (empty: any), approver kind, decree, note
RULES = [
    (
        "tk-provinsi",
        ["pjoprov", "tk-provinsi"],
        ["pjoprov", "sekretaris", "staf-sekretariat"],
        "gubernur",
        True,
        "Ketua dan anggota TK ditetapkan dengan SK Gubernur",
    ),
    (
        "pjoprov",
        ["pjoprov", "tk-provinsi"],
        ["pjoprov", "sekretaris", "staf-sekretariat"],
        "gubernur",
        True,
        "PjOProv ditetapkan dengan SK Gubernur",
    ),
    ("tkpkd", ["tkpkd"], ["ketua", "sekretaris"], "gubernur", True, "TKPKD dibentuk di bawah Gubernur"),
    ("kmw", ["kmw"], ["koordinator"], "tk-provinsi", False, "Staf KMW didaftarkan, tidak dengan SK"),
]


def load(apps, schema_editor):
    ActorKind = apps.get_model("actors", "ActorKind")
    Position = apps.get_model("actors", "Position")
    AppointmentRule = apps.get_model("actors", "AppointmentRule")
    kinds = {k.code: k for k in ActorKind.objects.all()}
    for target, proposers, positions, approver, decree, note in RULES:
        rule, _created = AppointmentRule.objects.update_or_create(
            target_kind=kinds[target],
            defaults={"approver_kind": kinds[approver], "requires_decree": decree, "note": note},
        )
        rule.proposer_kinds.set([kinds[code] for code in proposers])
        rule.proposer_positions.set(Position.objects.filter(code__in=positions))


class Migration(migrations.Migration):
    dependencies = [("actors", "0003_appointments")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

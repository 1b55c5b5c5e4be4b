"""One person, one account: a NIP (spaces ignored) belongs to one account.

Before adding the constraint, look for accounts that already share a NIP. If
there are any, stop with the list (NIP and usernames) and change nothing: which
account is the person's real one is a decision for an administrator in
/admin/ (move the memberships, clear or correct the NIP of the others,
deactivate them), never a silent merge. Then run `migrate` again.
"""

from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models.functions import Replace


def _normalise(nip):
    return "".join((nip or "").split())


def duplicate_nips(User):
    """[(nip, [username, ...])] for every NIP held by more than one account
    (`User`: the model), compared without spaces; sorted by NIP, usernames
    in account order."""
    holders = {}
    for username, nip in User.objects.exclude(nip="").order_by("pk").values_list("username", "nip"):
        key = _normalise(nip)
        if key:
            holders.setdefault(key, []).append(username)
    return sorted((nip, names) for nip, names in holders.items() if len(names) > 1)


def duplicate_nips_message(duplicates):
    lines = [f"  NIP {nip}: {', '.join(names)}" for nip, names in duplicates]
    return "\n".join(
        [
            "Beberapa akun memakai NIP yang sama (satu orang, satu akun) / "
            "Several accounts share a NIP (one person, one account):",
            *lines,
            "Selesaikan di /admin/ (Pengguna): tentukan akun yang benar, pindahkan keanggotaannya, kosongkan atau "
            "perbaiki NIP akun lainnya dan nonaktifkan akun itu; lalu jalankan migrate lagi. Tidak ada yang "
            "digabung otomatis. / Resolve them in /admin/ (Users): keep the right account, move its memberships, "
            "clear or correct the NIP of the others and deactivate them; then run migrate again. Nothing is "
            "merged automatically.",
        ]
    )


def check_no_duplicate_nips(apps, schema_editor):
    duplicates = duplicate_nips(apps.get_model("actors", "User"))
    if duplicates:
        raise CommandError(duplicate_nips_message(duplicates))


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0004_appointment_rules"),
    ]

    operations = [
        migrations.RunPython(check_no_duplicate_nips, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                Replace("nip", models.Value(" "), models.Value("")),
                condition=models.Q(("nip", ""), _negated=True),
                name="user_nip_unique",
                violation_error_message="NIP ini sudah dipakai oleh akun lain.",
            ),
        ),
    ]

"""The meeting series of the seed, for every province: PjOProv's monthly
routine meeting (PjOProv-5) and TK PNPM-MP Provinsi's evaluation and
coordination meeting (TK PNPM-MP-4), quarterly by default.

Dates, times, places, invitees and agendas are defaults no public source fixes
(docs/DOMAIN.md): an administrator can change them per province.
"""

import datetime

from django.db import migrations

SERIES = [
    {
        "holder": "pjoprov",
        "kind": "rutin",
        "title": "Rapat rutin bulanan",
        "duty": ("pjoprov", 5),
        "cadence": "bulanan",
        "month_of_period": 1,
        "rule": "hari",
        "week": 1,
        "weekday": 1,  # first Tuesday
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(12, 0),
        "location": "Kantor Sekretariat PNPM-MP Provinsi",
        "default_agenda": "Kemajuan kegiatan PNPM-MP\nPermasalahan dan penyelesaiannya\nLain-lain",
        "invited": ["tk-provinsi", "kmw"],
    },
    {
        "holder": "tk-provinsi",
        "kind": "evaluasi",
        "title": "Rapat evaluasi dan koordinasi",
        "duty": ("tk-provinsi", 4),
        "cadence": "triwulanan",
        "month_of_period": 3,
        "rule": "hari",
        "week": 2,
        "weekday": 3,  # second Thursday of the quarter's last month
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(13, 0),
        "location": "Ruang rapat Tim Koordinasi PNPM-MP Provinsi",
        "default_agenda": (
            "Evaluasi pelaksanaan PNPM-MP triwulan berjalan\nMasalah, kendala dan rekomendasi\n"
            "Koordinasi antar pelaku\nLain-lain"
        ),
        "invited": ["pjoprov", "kmw", "tkpkd"],
    },
]


def load(apps, schema_editor):
    Actor = apps.get_model("actors", "Actor")
    Duty = apps.get_model("duties", "Duty")
    MeetingSeries = apps.get_model("meetings", "MeetingSeries")
    actors = {}
    for actor in Actor.objects.filter(province__isnull=False).select_related("kind"):
        actors[(actor.province_id, actor.kind.code)] = actor
    province_ids = sorted({province_id for province_id, _code in actors})
    for spec in SERIES:
        kind_code, number = spec["duty"]
        duty = Duty.objects.get(kind__code=kind_code, number=number)
        fields = {k: v for k, v in spec.items() if k not in ("holder", "kind", "duty", "invited")}
        for province_id in province_ids:
            holder = actors.get((province_id, spec["holder"]))
            if holder is None:
                continue
            series, created = MeetingSeries.objects.get_or_create(
                actor=holder, kind=spec["kind"], defaults={**fields, "duty": duty}
            )
            if created:
                series.invited_actors.set(
                    [actors[(province_id, code)] for code in spec["invited"] if (province_id, code) in actors]
                )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("actors", "0002_reference_data"),
        ("duties", "0002_seed_duties"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

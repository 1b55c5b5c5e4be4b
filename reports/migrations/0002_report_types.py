"""The report types as data: who writes, to whom, tembusan, period, deadline
rule (default: the 10th day after the period ends, moved to the next working
day) and sections. Defaults read from the seed (TK Provinsi duty 5, PjOProv
duty 6, KMW duty 5); an administrator can change every value."""

from django.db import migrations

T, A, P, C = "teks", "penilaian", "masalah", "kendala"

# code, name, title, writer, recipients, tembusan, reviewer, period, (duty kind, number), sections
TYPES = [
    (
        "tk-triwulan",
        "Laporan triwulan TK PNPM-MP Provinsi",
        "LAPORAN TRIWULAN TIM KOORDINASI PNPM MANDIRI PERDESAAN PROVINSI",
        "tk-provinsi",
        ["gubernur"],
        ["tk-pusat"],
        "gubernur",
        "triwulanan",
        ("tk-provinsi", 5),
        [
            ("kemajuan", "Kemajuan pelaksanaan", T, True, "Capaian tahapan program pada triwulan ini."),
            (
                "penilaian",
                "Penilaian kinerja per tingkat",
                A,
                True,
                "Penilaian kinerja program di Desa, Kecamatan, Kabupaten dan Provinsi.",
            ),
            ("masalah", "Masalah", P, True, "Masalah yang ditemui, dengan kategori dan statusnya."),
            ("kendala", "Kendala", C, True, "Kendala pelaksanaan, dengan kategori dan statusnya."),
            ("tindak-lanjut", "Tindak lanjut yang telah dilakukan", T, True, ""),
            ("rekomendasi", "Rekomendasi", T, True, "Rekomendasi kepada Gubernur."),
        ],
    ),
    (
        "pjoprov-bulanan",
        "Laporan bulanan PjOProv",
        "LAPORAN BULANAN PENANGGUNG JAWAB OPERASIONAL PROVINSI",
        "pjoprov",
        ["tk-provinsi", "seknas"],
        [],
        "tk-provinsi",
        "bulanan",
        ("pjoprov", 6),
        [
            ("kemajuan", "Kemajuan kegiatan", T, True, "Termasuk hasil rapat rutin bulanan."),
            ("masalah", "Permasalahan", P, True, ""),
            ("penyelesaian", "Penyelesaian dan tindak lanjut", T, True, ""),
            ("rencana", "Rencana bulan berikutnya", T, False, ""),
        ],
    ),
    (
        "kmw-bulanan",
        "Laporan bulanan KMW Provinsi",
        "LAPORAN BULANAN KONSULTAN MANAJEMEN WILAYAH PROVINSI",
        "kmw",
        ["tk-provinsi", "seknas"],
        [],
        "tk-provinsi",
        "bulanan",
        ("kmw", 5),
        [
            ("kemajuan", "Kemajuan kegiatan dan pendampingan", T, True, ""),
            (
                "kinerja",
                "Penilaian kinerja konsultan dan fasilitator",
                A,
                False,
                "Penilaian per wilayah kerja konsultan.",
            ),
            ("masalah", "Masalah di lapangan", P, True, ""),
            ("kendala", "Kendala", C, False, ""),
            ("rencana", "Rencana tindak lanjut", T, True, ""),
        ],
    ),
    (
        "insidental",
        "Laporan insidental",
        "LAPORAN INSIDENTAL",
        None,
        ["tk-provinsi", "seknas"],
        [],
        None,
        "insidental",
        None,
        [
            ("kejadian", "Apa yang terjadi", T, True, ""),
            ("lokasi", "Di mana", T, True, "Desa, kecamatan, kabupaten/kota."),
            ("dampak", "Dampak", T, True, ""),
            ("tindakan", "Tindakan yang telah diambil", T, True, ""),
            ("kebutuhan", "Apa yang dibutuhkan", T, True, ""),
        ],
    ),
]


def load(apps, schema_editor):
    ActorKind = apps.get_model("actors", "ActorKind")
    Duty = apps.get_model("duties", "Duty")
    ReportType = apps.get_model("reports", "ReportType")
    ReportSection = apps.get_model("reports", "ReportSection")
    kinds = {k.code: k for k in ActorKind.objects.all()}
    for order, (code, name, title, writer, recipients, copies, reviewer, period, duty, sections) in enumerate(
        TYPES, start=1
    ):
        report_type, _created = ReportType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "title": title,
                "writer_kind": kinds[writer] if writer else None,
                "reviewer_kind": kinds[reviewer] if reviewer else None,
                "period": period,
                "deadline_days": 10,
                "duty": Duty.objects.get(kind__code=duty[0], number=duty[1]) if duty else None,
                "order": order,
            },
        )
        report_type.recipient_kinds.set([kinds[k] for k in recipients])
        report_type.copy_kinds.set([kinds[k] for k in copies])
        for section_order, (section_code, section_title, kind, required, help_text) in enumerate(sections, start=1):
            ReportSection.objects.update_or_create(
                report_type=report_type,
                code=section_code,
                defaults={
                    "title": section_title,
                    "kind": kind,
                    "required": required,
                    "help_text": help_text,
                    "order": section_order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("duties", "0002_seed_duties"),
        ("actors", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The TK's quarterly report carries the TK's own duty ledger for the quarter:
a section of kind "buku-tugas", filled at submission from the ledger and
frozen with the version (settings.REPORT_SNAPSHOT_EXTRAS), never typed. Not
required; an administrator may move or remove it like any section."""

from django.db import migrations, models

REPORT_TYPE = "tk-triwulan"
CODE = "buku-tugas"


def add_section(apps, schema_editor):
    ReportType = apps.get_model("reports", "ReportType")
    ReportSection = apps.get_model("reports", "ReportSection")
    report_type = ReportType.objects.filter(code=REPORT_TYPE).first()
    if report_type is None:
        return
    # Right after the assessment of performance (same order, a later id), before
    # the problems; the recommendations to the Governor stay the last words.
    sections = ReportSection.objects.filter(report_type=report_type)
    assessment = sections.filter(kind="penilaian").order_by("order", "id").first()
    order = assessment.order if assessment else (sections.aggregate(models.Max("order"))["order__max"] or 0) + 1
    ReportSection.objects.get_or_create(
        report_type=report_type,
        code=CODE,
        defaults={
            "title": "Pelaksanaan tugas pokok (buku tugas)",
            "kind": "buku-tugas",
            "required": False,
            "help_text": "Diambil dari buku tugas TK PNPM-MP Provinsi untuk triwulan ini saat laporan dikirim.",
            "order": order,
        },
    )


def remove_section(apps, schema_editor):
    ReportSection = apps.get_model("reports", "ReportSection")
    ReportSection.objects.filter(report_type__code=REPORT_TYPE, code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_assessment_units"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportsection",
            name="kind",
            field=models.CharField(
                choices=[
                    ("teks", "Teks"),
                    ("penilaian", "Teks dan tabel penilaian kinerja"),
                    ("masalah", "Daftar masalah"),
                    ("kendala", "Daftar kendala"),
                    ("buku-tugas", "Buku tugas pelaku (dibekukan saat dikirim)"),
                ],
                default="teks",
                max_length=20,
                verbose_name="isi",
            ),
        ),
        migrations.RunPython(add_section, remove_section),
    ]

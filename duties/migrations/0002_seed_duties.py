"""The 33 duty lines of docs/seed/000_a37f823aceb230f7.txt, verbatim and in order.

Category, recurrence and the due offset are defaults chosen by reading each
line; an administrator can change them.
"""

from django.db import migrations

# (kind code, number, text verbatim from the seed, category, recurrence, due offset days)
DUTIES = [
    (
        "gubernur",
        1,
        "Mensosialisasikan maksud dan tujuan PNPM-MP sebagai salah satu model pemberdayaan masyarakat.",
        "sosialisasi",
        "berkelanjutan",
        0,
    ),
    (
        "gubernur",
        2,
        "Menetapkan ketua dan anggota Tim Koordinasi PNPM-MP Provinsi.",
        "penetapan",
        "insidental",
        0,
    ),
    (
        "gubernur",
        3,
        "Melakukan pembinaan kepada Tim Koordinasi PNPM-MP Provinsi.",
        "pembinaan",
        "berkelanjutan",
        0,
    ),
    (
        "gubernur",
        4,
        "Melakukan pengawasan kinerja Tim Koordinasi PNPM-MP Provinsi.",
        "pengawasan",
        "triwulanan",
        0,
    ),
    (
        "tkpkd",
        1,
        "Menyusun kebijakan program penanggulangan kemiskinan di wilayahnya.",
        "perencanaan",
        "tahunan",
        0,
    ),
    (
        "tkpkd",
        2,
        "Melakukan sinergi melalui sinkronisasi harmonisasi dan integrasi program.",
        "koordinasi",
        "berkelanjutan",
        0,
    ),
    (
        "tkpkd",
        3,
        "Melakukan pengawasan dan pengendalian pelaksanaan program kegiatan penanggulangan kemiskinan.",
        "pengawasan",
        "triwulanan",
        0,
    ),
    (
        "tk-provinsi",
        1,
        "Menjaga pelaksanaan PNPM-MP agar sesuai dengan tujuan, prinsip dan mekanisme PNPM-MP.",
        "pengawasan",
        "berkelanjutan",
        0,
    ),
    (
        "tk-provinsi",
        2,
        "Menyelenggarakan sosialisasi di Provinsi untuk menjelaskan tujuan dan prosedur PNPM-MP kepada semua "
        "pelaku yang terlibat di Provinsi.",
        "sosialisasi",
        "tahunan",
        0,
    ),
    (
        "tk-provinsi",
        3,
        "Melakukan pemantauan dan evaluasi pelaksanaan PNPM-MP disertai tindak lanjut.",
        "evaluasi",
        "triwulanan",
        0,
    ),
    (
        "tk-provinsi",
        4,
        "Melaksanakan rapat evaluasi dan koordinasi di Provinsi.",
        "rapat",
        "triwulanan",
        0,
    ),
    (
        "tk-provinsi",
        5,
        "Menyusun laporan triwulan untuk disampaikan kepada Gubernur dengan tembusan kepada Tim Koordinasi PNPM-MP "
        "pusat. Termasuk pembahasan masalah, kendala serta rekomendasi.",
        "pelaporan",
        "triwulanan",
        10,
    ),
    (
        "tk-provinsi",
        6,
        "Memberi masukan untuk pembinaan konsultan dan fasilitator PNPM-MP melalui keikutsertaan dalam: mekanisme "
        "rekruitmen, penempatan/relokasi/demobilisasi, pengendalian dan evaluasi kinerja, koordinasi, dukungan "
        "administrasi, penyediaan ruang kerja, pemberian akses data dan kebijakan sesuai dengan ketentuan yang "
        "berlaku.",
        "pembinaan",
        "insidental",
        0,
    ),
    (
        "tk-provinsi",
        7,
        "Menilai kinerja program di Desa, Kecamatan, Kabupaten dan Provinsi.",
        "evaluasi",
        "triwulanan",
        0,
    ),
    (
        "pjoprov",
        1,
        "Sebagai pelaksana harian Tim Koordinasi PNPM-MP dan kepala sekretariat PNPM-MP Provinsi.",
        "manajemen",
        "berkelanjutan",
        0,
    ),
    (
        "pjoprov",
        2,
        "Bertanggung jawab atas penyelenggaraan operasional kegiatan dan keberhasilan seluruh kegiatan PNPM-MP di "
        "Provinsi.",
        "manajemen",
        "berkelanjutan",
        0,
    ),
    (
        "pjoprov",
        3,
        "Melaksanakan koordinasi dengan pelaku PNPM-MP di Daerahnya.",
        "koordinasi",
        "berkelanjutan",
        0,
    ),
    (
        "pjoprov",
        4,
        "Melakukan kegiatan manajemen PNPM-MP yang meliputi aspek kegiatan; sosialisasi, perencanaan, "
        "pengorganisasian, pelaksanaan, pengendalian dan pelestarian.",
        "manajemen",
        "berkelanjutan",
        0,
    ),
    (
        "pjoprov",
        5,
        "Menyelenggarakan rapat rutin bulanan untuk membahas kemajuan kegiatan, permasalahan dan penyelesaiannya.",
        "rapat",
        "bulanan",
        0,
    ),
    (
        "pjoprov",
        6,
        "Membuat laporan periodik dan incidental kepada Tim Koordinasi PNPM-MP Provinsi dan dilaporkan kepada "
        "seknas PNPM-MP.",
        "pelaporan",
        "bulanan",
        10,
    ),
    (
        "pjoprov",
        7,
        "Melakukan pengawasan teknis dan administrasi.",
        "pengawasan",
        "bulanan",
        0,
    ),
    (
        "pjoprov",
        8,
        "Memberikan masukan dalam pembinaan Fasilitator PNPM-MP melalui keikutsertaan dalam pengendalian dan "
        "evaluasi kinerja, koordinasi, dukungan administrasi, penyediaan ruang kerja, pemberian akses data dan "
        "kebijakan sesuai ketentuan yang berlaku.",
        "pembinaan",
        "insidental",
        0,
    ),
    (
        "kmw",
        1,
        "Memimpin suatu gugus manajemen lapangan yang akan mengkoordinasikan dan mengendalikan kegiatan fungsional "
        "konsultan PNPM-MP di lapangan.",
        "manajemen",
        "berkelanjutan",
        0,
    ),
    (
        "kmw",
        2,
        "Melakukan kegiatan pemantauan dan supervisi kegiatan sosialisasi, perencanaan, pelaksanaan, pelestarian "
        "dan pengintegrasian kegiatan PNPM-MP.",
        "pemantauan",
        "bulanan",
        0,
    ),
    (
        "kmw",
        3,
        "Melakukan kegiatan pemantauan dan supervisi serta mengkoordinasikan upaya dan tindak lanjut pelestarian "
        "kegiatan.",
        "pemantauan",
        "triwulanan",
        0,
    ),
    (
        "kmw",
        4,
        "Mengkoordinasikan pengendalian mutu teknis dari seluruh kegiatan PNPM-MP di wilayah koordinasinya.",
        "pengendalian",
        "berkelanjutan",
        0,
    ),
    (
        "kmw",
        5,
        "Membuat laporan periodik dan incidental kepada Tim Koordinasi PNPM-MP Provinsi dan dilaporkan kepada "
        "seknas PNPM-MP.",
        "pelaporan",
        "bulanan",
        10,
    ),
    (
        "kmw",
        6,
        "Memberikan dukungan manajemen dalam penanganan masalah di lapangan.",
        "manajemen",
        "insidental",
        0,
    ),
    (
        "kmw",
        7,
        "Melakukan pengendalian fungsional konsultan pada lingkup wilayah kerjanya.",
        "pengendalian",
        "berkelanjutan",
        0,
    ),
    (
        "kmw",
        8,
        "Membangun Tim Kerja antar konsultan PNPM-MP di wilayah kerjanya.",
        "koordinasi",
        "sekali",
        0,
    ),
    (
        "kmw",
        9,
        "Memantau dan melakukan koordinasi penilaian kinerja konsultan pada lingkup wilayah kerjanya.",
        "evaluasi",
        "triwulanan",
        0,
    ),
    (
        "kmw",
        10,
        "Mengembangkan jaringan kerja sama, fasilitasi dan komunikasi antar lembaga, termasuk pemerintah, "
        "perguruan tinggi, dunia usaha, lembaga swadaya masyarakat dan lain-lain.",
        "koordinasi",
        "berkelanjutan",
        0,
    ),
    (
        "kmw",
        11,
        "Menyampaikan laporan reguler dan insidentil pelaksanaan tugas dan tanggung jawabnya kepada sekretariat "
        "nasional, serta mengendalikan pelaporan kemajuan kegiatan beserta kendala di lapangan kepada sekretariat "
        "nasional dengan tembusan kepada sekretariat nasional PNPM-MP.",
        "pelaporan",
        "bulanan",
        10,
    ),
]


def load(apps, schema_editor):
    ActorKind = apps.get_model("actors", "ActorKind")
    Duty = apps.get_model("duties", "Duty")
    kinds = {k.code: k for k in ActorKind.objects.all()}
    for code, number, text, category, recurrence, due_offset_days in DUTIES:
        Duty.objects.update_or_create(
            kind=kinds[code],
            number=number,
            defaults={
                "text": text,
                "category": category,
                "recurrence": recurrence,
                "due_offset_days": due_offset_days,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0001_initial"),
        ("actors", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

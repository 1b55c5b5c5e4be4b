"""Reference data: the 38 provinces, the actor kinds of the seed document and
the national bodies, who answers to whom, default positions, and one actor
(with its auth group) per province and provincial kind.

Descriptions and names of the five provincial kinds are verbatim from
docs/seed/000_a37f823aceb230f7.txt (tests compare them with that file).
"""

from django.db import migrations

# Kemendagri code, name, time zone. BPS codes differ for some provinces (the
# Papua provinces) and are left for an administrator to fill in.
PROVINCES = [
    ("11", "Aceh", "Asia/Jakarta"),
    ("12", "Sumatera Utara", "Asia/Jakarta"),
    ("13", "Sumatera Barat", "Asia/Jakarta"),
    ("14", "Riau", "Asia/Jakarta"),
    ("15", "Jambi", "Asia/Jakarta"),
    ("16", "Sumatera Selatan", "Asia/Jakarta"),
    ("17", "Bengkulu", "Asia/Jakarta"),
    ("18", "Lampung", "Asia/Jakarta"),
    ("19", "Kepulauan Bangka Belitung", "Asia/Jakarta"),
    ("21", "Kepulauan Riau", "Asia/Jakarta"),
    ("31", "DKI Jakarta", "Asia/Jakarta"),
    ("32", "Jawa Barat", "Asia/Jakarta"),
    ("33", "Jawa Tengah", "Asia/Jakarta"),
    ("34", "DI Yogyakarta", "Asia/Jakarta"),
    ("35", "Jawa Timur", "Asia/Jakarta"),
    ("36", "Banten", "Asia/Jakarta"),
    ("51", "Bali", "Asia/Makassar"),
    ("52", "Nusa Tenggara Barat", "Asia/Makassar"),
    ("53", "Nusa Tenggara Timur", "Asia/Makassar"),
    ("61", "Kalimantan Barat", "Asia/Jakarta"),
    ("62", "Kalimantan Tengah", "Asia/Jakarta"),
    ("63", "Kalimantan Selatan", "Asia/Makassar"),
    ("64", "Kalimantan Timur", "Asia/Makassar"),
    ("65", "Kalimantan Utara", "Asia/Makassar"),
    ("71", "Sulawesi Utara", "Asia/Makassar"),
    ("72", "Sulawesi Tengah", "Asia/Makassar"),
    ("73", "Sulawesi Selatan", "Asia/Makassar"),
    ("74", "Sulawesi Tenggara", "Asia/Makassar"),
    ("75", "Gorontalo", "Asia/Makassar"),
    ("76", "Sulawesi Barat", "Asia/Makassar"),
    ("81", "Maluku", "Asia/Jayapura"),
    ("82", "Maluku Utara", "Asia/Jayapura"),
    ("91", "Papua", "Asia/Jayapura"),
    ("92", "Papua Barat", "Asia/Jayapura"),
    ("93", "Papua Selatan", "Asia/Jayapura"),
    ("94", "Papua Tengah", "Asia/Jayapura"),
    ("95", "Papua Pegunungan", "Asia/Jayapura"),
    ("96", "Papua Barat Daya", "Asia/Jayapura"),
]

KINDS = [
    {
        "code": "gubernur",
        "name": "Gubernur",
        "short_name": "Gubernur",
        "description": "Gubernur merupakan penanggung jawab pelaksanaan PNPM-MP serta pembina Tim Koordinasi "
        "PNPM-MP di Provinsi Tugas dan tanggung jawab Gubernur adalah",
        "level": "provinsi",
        "seed_number": 1,
        "order": 1,
    },
    {
        "code": "tkpkd",
        "name": "Tim Koordinasi Penanggulangan Kemiskinan Daerah (TKPKD)",
        "short_name": "TKPKD",
        "description": "Dalam rangka untuk melakukan koordinasi sektoral dan lintas para pemangku penanggulangan "
        "kemiskinan di tingkat Provinsi dibentuk TKPKD Provinsi. Tim ini dibentuk di bawah dan "
        "bertanggungjawab kepada Gubernur. Tugas dan tanggung jawab TKPKD Provinsi adalah:",
        "level": "provinsi",
        "seed_number": 2,
        "order": 2,
    },
    {
        "code": "tk-provinsi",
        "name": "Tim Koordinasi PNPM Mandiri Perdesaan Provinsi",
        "short_name": "TK PNPM-MP Provinsi",
        "description": "Tim Koordinasi PNPM-MP Provinsi dibentuk oleh Gubernur yang berfungsi dan berperan dalam "
        "melakukan pembinaan pengembangan peran serta masyarakat, pembinaan administrasi dan "
        "fasilitasi pemberdayaan masyarakat pada seluruh tahapan program serta memberikan dukungan "
        "pelayanan dan proses administrasi di Provinsi.dalam melaksanakan perannya TK PNPM-MP "
        "dibantu oleh sekretariat PNPM-MP Provinsi. Tugas dan tanggung jawab TK PNPM-MP Provinsi "
        "adalah:",
        "level": "provinsi",
        "seed_number": 3,
        "order": 3,
    },
    {
        "code": "pjoprov",
        "name": "Penganggung Jawab Operasional Provinsi (PjOProv)",
        "short_name": "PjOProv",
        "description": "PjOProv adalah seorang pejabat di lingkungan Badan Pemberdayaan Masyarakat dan Desa atau "
        "pejabat lain yang mempunyai tugas dan pokok sejenis di Provinsi yang ditetapkan "
        "berdasarkan surat keputusan Gubernur. Tugas dan tanggung jawab PjOProv adalah:",
        "level": "provinsi",
        "seed_number": 4,
        "order": 4,
    },
    {
        "code": "kmw",
        "name": "Tim Konsultan Manajemen Wilayah di Provinsi (KMW Provinsi)",
        "short_name": "KMW Provinsi",
        "description": "Tim KMW Provinsi bertugas menjamin efektivitas dan efisiensi serta memastikan dukungan "
        "teknis bagi konsultan PNPM-MP di lapangan. Tiap unit KMW Provinsi akan ditempatkan seorang "
        "koordinator dan beberapa tenaga spesialis dan staf pendukung lainnya. Tugas dan tanggung "
        "jawab KMW Provinsi adalah:",
        "level": "provinsi",
        "seed_number": 5,
        "order": 5,
    },
    {
        "code": "seknas",
        "name": "Sekretariat Nasional PNPM Mandiri Perdesaan",
        "short_name": "Seknas PNPM-MP",
        "description": "Sekretariat nasional PNPM-MP; menerima laporan dari setiap provinsi.",
        "level": "nasional",
        "seed_number": None,
        "order": 6,
    },
    {
        "code": "tk-pusat",
        "name": "Tim Koordinasi PNPM Mandiri Perdesaan Pusat",
        "short_name": "TK PNPM-MP Pusat",
        "description": "Tim koordinasi tingkat pusat; menerima tembusan laporan triwulan TK PNPM-MP Provinsi.",
        "level": "nasional",
        "seed_number": None,
        "order": 7,
    },
]

# (source, relation, target, note): who answers to whom, from the seed.
RELATIONS = [
    (
        "tkpkd",
        "bertanggung-jawab",
        "gubernur",
        "Dibentuk di bawah dan bertanggung jawab kepada Gubernur",
    ),
    (
        "tk-provinsi",
        "ditetapkan",
        "gubernur",
        "Ketua dan anggota ditetapkan oleh Gubernur",
    ),
    (
        "tk-provinsi",
        "dibina",
        "gubernur",
        "Gubernur adalah pembina TK PNPM-MP Provinsi",
    ),
    ("tk-provinsi", "diawasi", "gubernur", "Pengawasan kinerja oleh Gubernur"),
    ("tk-provinsi", "melapor", "gubernur", "Laporan triwulan"),
    ("tk-provinsi", "tembusan", "tk-pusat", "Tembusan laporan triwulan"),
    ("pjoprov", "ditetapkan", "gubernur", "Ditetapkan dengan surat keputusan Gubernur"),
    (
        "pjoprov",
        "pelaksana-harian",
        "tk-provinsi",
        "Pelaksana harian TK dan kepala sekretariat PNPM-MP Provinsi",
    ),
    ("pjoprov", "melapor", "tk-provinsi", "Laporan periodik dan insidental"),
    (
        "pjoprov",
        "melapor",
        "seknas",
        "Laporan periodik dan insidental dilaporkan kepada seknas",
    ),
    ("kmw", "melapor", "tk-provinsi", "Laporan periodik dan insidental"),
    ("kmw", "melapor", "seknas", "Laporan reguler dan insidentil pelaksanaan tugas"),
]

# (code, name, kinds it applies to (empty: any), is_head, order). Editable in the admin.
POSITIONS = [
    ("gubernur", "Gubernur", ["gubernur"], True, 1),
    ("staf-biro", "Staf Kantor Gubernur", ["gubernur"], False, 2),
    ("ketua", "Ketua", ["tkpkd", "tk-provinsi", "tk-pusat"], True, 10),
    ("wakil-ketua", "Wakil Ketua", ["tkpkd", "tk-provinsi", "tk-pusat"], False, 11),
    ("sekretaris", "Sekretaris", ["tkpkd", "tk-provinsi", "tk-pusat"], False, 12),
    ("anggota", "Anggota", ["tkpkd", "tk-provinsi", "tk-pusat"], False, 13),
    ("pjoprov", "Penanggung Jawab Operasional Provinsi", ["pjoprov"], True, 20),
    (
        "staf-sekretariat",
        "Staf Sekretariat",
        ["pjoprov", "tk-provinsi", "seknas"],
        False,
        21,
    ),
    ("koordinator", "Koordinator", ["kmw", "seknas"], True, 30),
    ("tenaga-ahli", "Tenaga Ahli / Spesialis", ["kmw", "seknas"], False, 31),
    ("staf-pendukung", "Staf Pendukung", ["kmw", "seknas"], False, 32),
]


def load(apps, schema_editor):
    Province = apps.get_model("actors", "Province")
    ActorKind = apps.get_model("actors", "ActorKind")
    ActorRelation = apps.get_model("actors", "ActorRelation")
    Position = apps.get_model("actors", "Position")
    Actor = apps.get_model("actors", "Actor")
    Group = apps.get_model("auth", "Group")

    provinces = [
        Province.objects.update_or_create(code=code, defaults={"name": name, "timezone": tz})[0]
        for code, name, tz in PROVINCES
    ]
    kinds = {}
    for data in KINDS:
        data = dict(data)
        code = data.pop("code")
        kinds[code] = ActorKind.objects.update_or_create(code=code, defaults=data)[0]
    for order, (source, relation, target, note) in enumerate(RELATIONS, start=1):
        ActorRelation.objects.update_or_create(
            source=kinds[source],
            relation=relation,
            target=kinds[target],
            defaults={"note": note, "order": order},
        )
    for code, name, kind_codes, is_head, order in POSITIONS:
        position = Position.objects.update_or_create(
            code=code, defaults={"name": name, "is_head": is_head, "order": order}
        )[0]
        position.kinds.set([kinds[k] for k in kind_codes])

    for kind in kinds.values():
        if kind.level == "provinsi":
            for province in provinces:
                group = Group.objects.get_or_create(name=f"{kind.code}-{province.code}")[0]
                Actor.objects.get_or_create(kind=kind, province=province, defaults={"group": group})
        else:
            group = Group.objects.get_or_create(name=kind.code)[0]
            Actor.objects.get_or_create(kind=kind, province=None, defaults={"group": group})


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

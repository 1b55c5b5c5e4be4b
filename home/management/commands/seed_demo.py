import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from actors.demo import DEMO_ACCOUNTS, DEMO_ADMIN, create_demo_accounts
from actors.models import Actor, ActorKind, User
from core import clock
from core.periods import QUARTER, period_containing
from duties.models import Duty
from home.reconcile import run_schedule
from ledger import services as ledger_services
from ledger.models import DutyAccount, DutyOccurrence
from ledger.standing import Source

# Whose words the demo ledger of Jawa Tengah holds: the demo account of each actor.
LEDGER_WRITERS = {
    ActorKind.GUBERNUR: "demo-gubernur",
    ActorKind.TKPKD: "demo-tkpkd",
    ActorKind.TK_PROVINSI: "demo-tk",
    ActorKind.PJOPROV: "demo-pjoprov",
    ActorKind.KMW: "demo-kmw",
}
# What the demo actors write about their ongoing duties last quarter, by (kind, duty number).
DEMO_ACCOUNTS_TEXT = {
    (ActorKind.GUBERNUR, 1): "Sosialisasi PNPM-MP dalam rapat koordinasi bupati/wali kota se-Jawa Tengah dan "
    "melalui siaran pers Biro Pemerintahan.",
    (ActorKind.GUBERNUR, 3): "Pembinaan TK PNPM-MP Provinsi dalam rapat evaluasi triwulan; arahan percepatan "
    "penyaluran BLM.",
    (ActorKind.TKPKD, 2): "Sinkronisasi program penanggulangan kemiskinan SKPD dengan PNPM-MP dalam forum TKPKD.",
    (ActorKind.TK_PROVINSI, 1): "Kunjungan lapangan ke Kabupaten Cilacap dan Banyumas; temuan dibahas dalam rapat "
    "evaluasi triwulan.",
    (ActorKind.PJOPROV, 1): "Menyiapkan bahan dan notulen rapat TK; sekretariat melayani surat-menyurat TK.",
    (ActorKind.PJOPROV, 2): "Memantau operasional kegiatan di 29 kabupaten; tiga kabupaten dengan pencairan "
    "terlambat didampingi.",
    (ActorKind.PJOPROV, 3): "Koordinasi bulanan dengan KMW, Bappeda dan BPMD kabupaten tentang jadwal "
    "musyawarah antardesa.",
    (ActorKind.PJOPROV, 4): "Manajemen kegiatan: rencana kerja triwulan, pelatihan pelaku, dan rekap "
    "pengaduan masyarakat.",
    (ActorKind.KMW, 1): "Memimpin rapat koordinasi konsultan kabupaten setiap bulan; pembagian wilayah "
    "supervisi diperbarui.",
    (ActorKind.KMW, 4): "Uji petik mutu teknis prasarana di 12 desa; dua desa diminta memperbaiki saluran.",
    (ActorKind.KMW, 7): "Evaluasi kinerja fasilitator kecamatan; tiga fasilitator mendapat pembinaan.",
    (ActorKind.KMW, 10): "Temu jejaring dengan perguruan tinggi dan LSM setempat untuk pendampingan kelompok "
    "perempuan.",
}


class Command(BaseCommand):
    help = (
        "Create the demo accounts (Jawa Tengah, DI Yogyakarta, seknas, an admin) with password "
        "'demo12345'. Safe to run twice: what exists is left alone. Refuses to run with DEBUG off "
        "unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a production database)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo menolak berjalan saat DEBUG mati (kemungkinan basis data produksi). "
                "Gunakan --force bila memang disengaja. / Refusing to run with DEBUG off; use --force."
            )
        created = create_demo_accounts()
        # Last month's tasks too, so the demo has overdue work to show.
        today = clock.local_today()
        last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        # Before the reconcile, so that it finds last quarter's ledger written (no overdue notice for it).
        written = seed_demo_ledger(today)
        self.stdout.write(f"Buku tugas triwulan lalu / last quarter's ledger: {written} catatan / entries")
        for day in (last_month, today):
            result = run_schedule(on=day)
            self.stdout.write(f"Penjadwal / scheduler {day}: {result['tasks_created']} tugas dibuat / tasks created")
        if created:
            self.stdout.write(self.style.SUCCESS(f"Dibuat / created: {', '.join(created)}"))
        else:
            self.stdout.write("Data demo sudah ada; tidak ada yang dibuat. / Demo data already present.")
        self.stdout.write("")
        self.stdout.write(f"Akun demo / demo accounts (kata sandi / password: {settings.DEMO_PASSWORD}):")
        for username, full_name, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<18} {full_name}")
        self.stdout.write(f"  {DEMO_ADMIN:<18} superuser (/admin/)")


def seed_demo_ledger(today, province_code="33"):
    """What Jawa Tengah's demo actors write in last quarter's ledger, through
    the ledger's services: an account of each ongoing duty, an occurrence of
    KMW 6 (management support for a field problem) and "tidak ada kejadian"
    for the other incidental duties (Gubernur 2 only when no decree was
    recorded). Idempotent: a duty already written for that quarter is left
    alone. Returns the number of entries written."""
    period = period_containing(QUARTER, period_containing(QUARTER, today).start - datetime.timedelta(days=1))
    writers = {u.username: u for u in User.objects.filter(username__in=LEDGER_WRITERS.values())}
    actors = Actor.objects.filter(province__code=province_code, kind__code__in=LEDGER_WRITERS).select_related(
        "province", "kind"
    )
    written = 0
    for actor in actors:
        user = writers.get(LEDGER_WRITERS[actor.kind.code])
        if user is None:
            continue
        done = set(DutyAccount.objects.filter(actor=actor, period=period.key).values_list("duty_id", flat=True))
        done |= set(
            DutyOccurrence.objects.filter(actor=actor, occurred_on__range=(period.start, period.end)).values_list(
                "duty_id", flat=True
            )
        )
        for duty in Duty.objects.filter(kind=actor.kind).order_by("number"):
            if duty.pk in done:
                continue
            source = ledger_services.duty_source(duty)
            try:
                if source == Source.ACCOUNT:
                    text = DEMO_ACCOUNTS_TEXT.get(
                        (actor.kind.code, duty.number), "Dilaksanakan sesuai rencana kerja triwulan."
                    )
                    ledger_services.do_save_account(user=user, actor=actor, duty=duty, period=period, text=text)
                elif source == Source.OCCURRENCES and (actor.kind.code, duty.number) == (ActorKind.KMW, 6):
                    ledger_services.do_record_occurrence(
                        user=user,
                        actor=actor,
                        duty=duty,
                        period=period,
                        occurred_on=period.start + datetime.timedelta(days=40),
                        what="Pencairan BLM tertunda di Kecamatan Wanareja karena rekening UPK belum aktif.",
                        action="Tenaga ahli keuangan mendampingi UPK ke bank; dana cair dalam satu minggu.",
                    )
                elif source in (Source.OCCURRENCES, Source.DECREES):
                    ledger_services.do_declare_no_occurrence(user=user, actor=actor, duty=duty, period=period)
                else:
                    continue
            except ValidationError:
                # A decree recorded in the quarter carries Gubernur 2 out: nothing to declare.
                continue
            written += 1
    return written

"""Browser journeys: Playwright's sync API driving the system Chromium
(Debian's /usr/bin/chromium, or CHROMIUM_PATH) against pytest-django's
live_server. One browser per session, a fresh context (cookies) per test.

Without a Chromium the tests are skipped with the reason; with E2E_REQUIRED=1
(CI) a missing Chromium or Playwright fails them instead."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, User
from api.tokens import do_create_token
from appointments.services import do_submit_proposal
from documents.services import document_of
from duties import services as duty_services
from duties.models import Task
from ledger.standing import current_quarter
from meetings import services as meeting_services
from meetings.models import Meeting
from regions.edition import read
from regions.loading import load
from reports import services as report_services
from reports.models import Report
from tests.actors.conftest import approve, draft
from tests.conftest import REGION_EDITION
from tests.duties.files import pdf
from tests.e2e.browser import DESKTOP, unavailable
from tests.reports.conftest import content

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        unavailable("no Chromium: install Debian's chromium (/usr/bin/chromium) or set CHROMIUM_PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (make install)")
    # Playwright's sync API keeps an event loop in this thread; Django would
    # take every ORM call made by the test itself for one from async code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    thread_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    # The event loop Playwright leaves running on this thread makes Django keep
    # database connections per context rather than per thread: without this,
    # the test would get fresh connection objects, lacking the serialized
    # reference data that serialized_rollback restores from.
    for alias, connection in thread_connections.items():
        connections[alias] = connection
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """new_page(bypass_csp=False) -> a page in a fresh context (no cookies) on
    the live server, 1280 px wide. Several make several people at once."""
    contexts = []

    def _new_page(bypass_csp=False, viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, bypass_csp=bypass_csp, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def demo(browser, live_server):
    """The demo data, as `make run` loads it: accounts, last month's and this
    month's tasks (so some are overdue), meetings and report drafts; and the
    region tree (the tests' few real units of Jawa Tengah, DI Yogyakarta and
    Jawa Barat, tests/regions/edition: `make demo` loads the full tree)."""
    load(read(REGION_EDITION))
    call_command("seed_demo", "--force", stdout=io.StringIO())


# --- the pages the journeys visit, with data on them -------------------------


def _user(username):
    return User.objects.get(username=username)


def _completed_task(writer):
    task = Task.objects.filter(actor__kind__code="pjoprov", actor__province__code="33").order_by("due_date").first()
    duty_services.do_update_task_status(
        user=writer,
        task=task,
        status=Task.Status.DONE,
        note="Sudah dibahas dan dilaporkan ke TK; notulen terlampir.",
        files=[pdf("notulen-koordinasi.pdf")],
    )
    return task


def _held_meeting(writer):
    """Last month's routine meeting of PjOProv Jawa Tengah: held, attendance,
    minutes of two agenda items, a follow-up for KMW, minutes approved."""
    meeting = Meeting.objects.filter(actor__kind__code="pjoprov", actor__province__code="33").order_by("period").first()
    now = timezone.now()
    starts = meeting.starts_at if meeting.starts_at < now else now - datetime.timedelta(hours=3)
    meeting_services.do_hold_meeting(
        user=writer, meeting=meeting, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    items = [
        meeting_services.do_add_agenda_item(user=writer, meeting=meeting, title=title)
        for title in ("Kemajuan pelaksanaan kegiatan triwulan", "Penanganan pengaduan masyarakat")
    ]
    actors = dict.fromkeys(meeting_services.invited_actor_ids(meeting), ("hadir", ""))
    meeting_services.do_record_attendance(user=writer, meeting=meeting, people={}, actors=actors)
    meeting_services.do_save_minutes(
        user=writer,
        meeting=meeting,
        notes="Rapat dibuka pukul 09.00 oleh Penanggung Jawab Operasional Kegiatan Provinsi.",
        entries={
            items[0].pk: ("Realisasi fisik 62%, di bawah target 70%.", "KMW mempercepat pendampingan."),
            items[1].pk: ("Tiga pengaduan belum ditindaklanjuti.", "Penanganan pengaduan dipantau mingguan."),
        },
    )
    kmw = meeting.actor.__class__.objects.get(kind__code="kmw", province=meeting.actor.province)
    meeting_services.do_add_follow_up(
        user=writer,
        meeting=meeting,
        title="Percepat pendampingan di 5 kecamatan",
        actor=kmw,
        due_date=meeting.actor.province.today() + datetime.timedelta(days=14),
    )
    meeting_services.do_approve_minutes(user=writer, meeting=meeting)
    return meeting


def _version(writer):
    """Last month's PjOProv report of Jawa Tengah, written and submitted."""
    report = (
        Report.objects.filter(report_type__code="pjoprov-bulanan", province__code="33", status=Report.Status.DRAFT)
        .order_by("period")
        .first()
    )
    fields = content(report)
    fields["signature"]["sign_date"] = report.province.today()
    report_services.do_save_draft(user=writer, report=report, **fields)
    return report, report_services.do_submit_report(user=writer, report=report)


def build_walk():
    pjoprov, tk, gubernur = _user("demo-pjoprov"), _user("demo-tk"), _user("demo-gubernur")
    task = _completed_task(pjoprov)
    meeting = _held_meeting(pjoprov)
    sent, version = _version(pjoprov)
    tk_drafts = list(
        Report.objects.filter(
            report_type__code="tk-triwulan", province__code="33", status=Report.Status.DRAFT
        ).order_by("period")
    )
    tk_draft = tk_drafts[-1]
    if len(tk_drafts) > 1:
        # The previous quarter's report sent, so that the assessment across
        # reports has ratings of real units to show.
        fields = content(tk_drafts[0])
        fields["signature"]["sign_date"] = tk_drafts[0].province.today()
        report_services.do_save_draft(user=tk, report=tk_drafts[0], **fields)
        report_services.do_submit_report(user=tk, report=tk_drafts[0])
    waiting = do_submit_proposal(user=tk, proposal=draft(tk))
    decided = approve(
        do_submit_proposal(
            user=tk,
            proposal=draft(tk, full_name="Budi Santoso", nip="197001012000011001", email="budi@example.invalid"),
        ),
        gubernur,
    )
    do_create_token(user=pjoprov, name="Dasbor kantor", scope="baca")
    minutes = meeting.minutes_versions.get(status="disetujui")
    documents = [document_of(version), document_of(minutes), document_of(decided.decree)]
    # The duty ledgers of last quarter, which seed_demo writes for Jawa Tengah.
    last_quarter = current_quarter().previous().key
    pjoprov_actor = Actor.objects.get(kind__code="pjoprov", province__code="33")
    tk_actor = Actor.objects.get(kind__code="tk-provinsi", province__code="33")
    return [
        (
            None,
            [
                reverse("login"),
                reverse("documents:verify_form"),
                *[reverse("documents:verify", args=[document.code]) for document in documents],
            ],
        ),
        (
            "demo-pjoprov",
            [
                "/",
                reverse("duties:task_list"),
                reverse("duties:task_detail", args=[task.pk]),
                reverse("meetings:meeting_list"),
                reverse("meetings:meeting_detail", args=[meeting.pk]),
                reverse("reports:report_list"),
                reverse("reports:report_detail", args=[sent.pk]),
                reverse("reports:version_detail", args=[version.pk]),
                reverse("meetings:series_detail", args=[meeting.series_id]),
                reverse("meetings:series_edit", args=[meeting.series_id]),
                reverse("notifications:inbox"),
                reverse("notifications:preferences"),
                reverse("security:account"),
                reverse("api:tokens"),
            ],
        ),
        (
            "demo-tk",
            [
                "/",
                reverse("reports:report_edit", args=[tk_draft.pk]),
                reverse("reports:assessment"),
                reverse("reports:assessment") + "?kabupaten=33.01",
                reverse("appointments:proposal_list"),
                reverse("appointments:proposal_detail", args=[decided.pk]),
            ],
        ),
        (
            "demo-gubernur",
            [
                "/",
                reverse("appointments:proposal_inbox"),
                reverse("appointments:proposal_detail", args=[waiting.pk]),
                reverse("reports:report_list"),
                reverse("duties:task_list"),
                reverse("duties:overseen_task_list"),
                reverse("notifications:inbox"),
                reverse("reports:assessment"),
                reverse("ledger:index"),
                reverse("ledger:ledger", kwargs={"actor_pk": pjoprov_actor.pk, "period": last_quarter}),
                reverse("ledger:ledger", kwargs={"actor_pk": tk_actor.pk, "period": last_quarter}),
            ],
        ),
        (
            "demo-seknas",
            [
                "/",
                reverse("reports:national"),
                reverse("reports:assessment"),
                reverse("reports:assessment") + "?provinsi=33",
                reverse("ledger:national") + f"?periode={last_quarter}",
            ],
        ),
        ("demo-kmw", ["/", reverse("duties:task_list")]),
        ("demo-tkpkd", ["/"]),
    ]


@pytest.fixture
def walk(demo):
    """[(username or None, [urls])]: the pages the journeys visit, each with
    data on it, made through the services as the journeys leave them: a
    completed task with a note and a PDF, a held meeting with attendance,
    approved minutes and a follow-up, a report draft and a submitted version,
    a proposal waiting in the Governor's office's inbox and an approved one
    with its decree, the national matrix, the assessment across reports (a
    quarterly report of the TK sent), the home page of each role; and,
    without an account, the verification page of the version's, the
    minutes' and the decree's issued documents."""
    return build_walk()

"""One province's worth of real objects for the tests that walk every URL.

Every object belongs to Jawa Tengah (33) and, where an actor owns it, to
PjOProv Jawa Tengah: a task with an attachment, a routine meeting with an
attachment, a monthly report draft with an attachment, a submitted report
(its version v1 and the version's attachment; v1 was returned by
TK Provinsi Jawa Tengah and v2 sent again, so v2 has a previous version to
compare with), a submitted appointment
proposal with an attachment and an approved one with its decree. The
personas are tests/personas.py's, superuser included.

`kwargs_for(name, world)` gives the URL kwargs of a named route pointing at
those rows, so a request reaches the access helper with a row that exists.
"""

import datetime
import zoneinfo

import time_machine

from api.tokens import do_create_token
from appointments.models import Proposal
from core.models import Notification
from core.notifications import notify
from documents.services import document_of
from duties import services as duty_services
from duties.models import Duty, Task
from ledger import services as ledger_services
from ledger.standing import quarter
from meetings import services as meeting_services
from reports import services as report_services
from reports.models import ReportReview
from reports.scheduler import create_report_slots
from tests import personas
from tests.actors.conftest import approve, draft, submitted
from tests.actors.conftest import pdf as appointment_pdf
from tests.duties.files import pdf
from tests.factories import actor, member
from tests.meetings.conftest import make_meeting
from tests.reports.conftest import content, report_of

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
# The reports' frozen day (tests/reports/conftest.py): September's monthly
# report is due and may be submitted; the routine meeting of March 2025 is past.
NOW = datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA)
DAY = NOW.date()

# The duty ledger's quarter in the world (NOW is in it).
LEDGER_PERIOD = "2026-Q4"

PERSONAS = ("member", "colleague", "outsider", "gubernur", "seknas", "superuser", "anonymous")


def frozen_clock():
    return time_machine.travel(NOW, tick=False)


def people():
    return {persona: personas.make(persona) for persona in PERSONAS}


def build(users):
    """The objects of Jawa Tengah. Call inside frozen_clock()."""
    writer = users["member"]
    pjoprov = actor("pjoprov", "33")

    duty = Duty.objects.filter(kind=pjoprov.kind).order_by("number").first()
    task = duty_services.do_create_task(
        user=writer, actor=pjoprov, duty=duty, title="Menyusun rencana kerja", due_date=DAY + datetime.timedelta(30)
    )
    duty_services.do_update_task_status(
        user=writer, task=task, status=Task.Status.IN_PROGRESS, note="Mulai", files=[pdf("rencana.pdf")]
    )
    task_attachment = task.attachments.get()

    meeting = make_meeting("pjoprov", "33", "2025-03")
    meeting_attachment = meeting_services.do_add_attachment(
        user=writer, meeting=meeting, upload=pdf("undangan.pdf"), kind="lainnya"
    )

    # April's meeting was held and its minutes approved: an issued document.
    minuted_meeting = make_meeting("pjoprov", "33", "2025-04")
    starts = datetime.datetime(2025, 4, 1, 9, 0, tzinfo=JAKARTA)
    meeting_services.do_hold_meeting(
        user=writer, meeting=minuted_meeting, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    item = meeting_services.do_add_agenda_item(user=writer, meeting=minuted_meeting, title="Kemajuan kegiatan")
    meeting_services.do_save_minutes(
        user=writer, meeting=minuted_meeting, notes="Dibuka.", entries={item.pk: ("Realisasi 60%.", "Dipercepat.")}
    )
    meeting_services.do_approve_minutes(user=writer, meeting=minuted_meeting)

    create_report_slots(on=DAY)
    sent = report_of("pjoprov-bulanan", "33", "2026-09")
    report_services.do_save_draft(user=writer, report=sent, **content(sent))
    sent_attachment = report_services.do_add_report_attachment(user=writer, report=sent, upload=pdf("bukti.pdf"))
    first = report_services.do_submit_report(user=writer, report=sent)
    # The reviewer (TK Provinsi, not a persona) returns v1; the writer sends v2.
    reviewer = member("tk-provinsi", "33", username="tkp-jateng")
    report_services.do_review_report(
        user=reviewer, report=sent, decision=ReportReview.Decision.RETURN, section_reasons={"kemajuan": "Lengkapi."}
    )
    report_services.do_save_draft(user=writer, report=sent, **content(sent, kemajuan="Uraian yang dilengkapi."))
    second = report_services.do_submit_report(user=writer, report=sent)
    report = report_of("pjoprov-bulanan", "33", "2026-10")
    report_attachment = report_services.do_add_report_attachment(user=writer, report=report, upload=pdf("foto.pdf"))

    proposal = submitted(writer, files=[("cv", appointment_pdf("cv.pdf"))])
    proposal_attachment = proposal.attachments.first()
    draft_proposal = draft(writer, full_name="Rina Wulandari", nip="198502022010012002", email="rina@example.invalid")
    decided = approve(submitted(writer, full_name="Budi Santoso", nip="197001012000011001",
                                email="budi@example.invalid"), users["gubernur"])  # fmt: skip
    decided = Proposal.objects.get(pk=decided.pk)
    notify([writer], key=f"task-overdue:{task.pk}", subject="Tugas terlambat", url=f"/tugas/{task.pk}/")
    notification = Notification.objects.get(recipient=writer, key=f"task-overdue:{task.pk}")
    api_token, _secret = do_create_token(user=writer, name="Ponsel", scope="baca-tulis")
    # The duty ledger of the fourth quarter: PjOProv-3's account (ongoing) with a file; PjOProv-8 (incidental).
    ongoing = Duty.objects.select_related("kind").get(kind=pjoprov.kind, number=3)
    incidental = Duty.objects.select_related("kind").get(kind=pjoprov.kind, number=8)
    ledger_account = ledger_services.do_save_account(
        user=writer,
        actor=pjoprov,
        duty=ongoing,
        period=quarter(LEDGER_PERIOD),
        text="Koordinasi dengan kabupaten.",
        tasks=[task],
        upload=pdf("koordinasi.pdf"),
    )
    return {
        "ledger_account": ledger_account,
        "ledger_attachment": ledger_account.attachments.get(),
        "ledger_duty_account": ongoing,
        "ledger_duty_incidental": incidental,
        "api_token": api_token,
        "duty": duty,
        "province": pjoprov.province,
        "actor": pjoprov,
        "task": task,
        "task_attachment": task_attachment,
        "meeting": meeting,
        "meeting_attachment": meeting_attachment,
        "minuted_meeting": minuted_meeting,
        "series": meeting.series,
        "report": report,
        "report_attachment": report_attachment,
        "sent_report": sent,
        "version": first,
        "second_version": second,
        "version_attachment": sent_attachment,
        "proposal": proposal,
        "proposal_attachment": proposal_attachment,
        "draft_proposal": draft_proposal,
        "decided": decided,
        "notification": notification,
    }


# url name -> (world key of <pk>, world key of <attachment_pk>)
KWARGS = {
    "actors:actor_detail": ("actor", None),
    "appointments:team": ("actor", None),
    "appointments:proposal_detail": ("proposal", None),
    "appointments:proposal_edit": ("proposal", None),
    "appointments:proposal_submit": ("proposal", None),
    "appointments:proposal_approve": ("proposal", None),
    "appointments:proposal_return": ("proposal", None),
    "appointments:proposal_reject": ("proposal", None),
    "appointments:resend_activation": ("decided", None),
    "appointments:proposal_attachment": ("proposal", "proposal_attachment"),
    "appointments:decree_print": ("decided", None),
    "appointments:decree_scan": ("decided", None),
    "appointments:decree_pdf": ("decided", None),
    "duties:task_detail": ("task", None),
    "duties:task_update": ("task", None),
    "duties:task_assign": ("task", None),
    "duties:attachment_download": ("task", "task_attachment"),
    "reports:report_detail": ("report", None),
    "reports:report_edit": ("report", None),
    "reports:report_autosave": ("report", None),
    "reports:unit_search": ("report", None),
    "reports:report_review": ("sent_report", None),
    "reports:attachment_add": ("report", None),
    "reports:attachment_download": ("report", "report_attachment"),
    "reports:attachment_remove": ("report", "report_attachment"),
    "reports:version_detail": ("version", None),
    "reports:version_diff": ("second_version", None),
    "reports:version_pdf": ("version", None),
    "reports:version_excel": ("version", None),
    "reports:version_attachment": ("version", "version_attachment"),
    "meetings:meeting_detail": ("meeting", None),
    "meetings:meeting_edit": ("meeting", None),
    "meetings:meeting_hold": ("meeting", None),
    "meetings:meeting_postpone": ("meeting", None),
    "meetings:meeting_cancel": ("meeting", None),
    "meetings:agenda_add": ("meeting", None),
    "meetings:attendance": ("meeting", None),
    "meetings:minutes_edit": ("meeting", None),
    "meetings:minutes_approve": ("meeting", None),
    "meetings:minutes_correct": ("meeting", None),
    "meetings:follow_up_add": ("meeting", None),
    "meetings:attachment_add": ("meeting", None),
    "meetings:attachment_download": ("meeting", "meeting_attachment"),
    "meetings:minutes_pdf": ("minuted_meeting", None),
    "meetings:series_detail": ("series", None),
    "meetings:series_edit": ("series", None),
    "notifications:open": ("notification", None),
    "api:token_revoke": ("api_token", None),
    "api:province-detail": ("province", None),
    "api:duty-detail": ("duty", None),
    "api:actor-detail": ("actor", None),
    "api:task-detail": ("task", None),
    "api:task-action-complete": ("task", None),
    "api:task-action-reopen": ("task", None),
    "api:meeting-detail": ("meeting", None),
    "api:meeting-action-attendance": ("meeting", None),
    "api:report-detail": ("report", None),
    "api:report-version-detail": ("version", None),
    "notifications:mark_read": ("notification", None),
    "ledger:ledger": ("actor", None),
    "ledger:account": ("actor", None),
    "ledger:occurrence": ("actor", None),
    "ledger:declare_none": ("actor", None),
    "ledger:attachment": ("ledger_attachment", None),
}

# Routes whose <pk> has another name (the duty ledger's actor: <actor_pk>).
PK_NAMES = {
    "ledger:ledger": "actor_pk",
    "ledger:account": "actor_pk",
    "ledger:occurrence": "actor_pk",
    "ledger:declare_none": "actor_pk",
}


# Token routes: a token that matches nothing (the feed and the activation
# link have their own tests; here they must not open anything).
OTHER_KWARGS = {
    "appointments:account_activate": {"uidb64": "MQ", "token": "tidak-berlaku"},
    "meetings:ical_feed": {"token": "tidak-berlaku"},
}


# Routes by an issued document's verification code: the document of the world's row.
CODE_KWARGS = {"documents:verify": "version"}
# More kwargs of a route, beside its <pk>: the approved minutes' version number;
# the ledger's quarter and duty (a function of the world: extra_kwargs()).
EXTRA_KWARGS = {
    "meetings:minutes_pdf": {"number": 1},
    "ledger:ledger": {"period": LEDGER_PERIOD},
    "ledger:account": lambda world: {"period": LEDGER_PERIOD, "duty_pk": world["ledger_duty_account"].pk},
    "ledger:occurrence": lambda world: {"period": LEDGER_PERIOD, "duty_pk": world["ledger_duty_incidental"].pk},
    "ledger:declare_none": lambda world: {"period": LEDGER_PERIOD, "duty_pk": world["ledger_duty_incidental"].pk},
}
# The names of EXTRA_KWARGS a bad value is tried in (test_bad_input: URL positions).
EXTRA_POSITIONS = {
    "ledger:ledger": ("period",),
    "ledger:account": ("period", "duty_pk"),
    "ledger:occurrence": ("period", "duty_pk"),
    "ledger:declare_none": ("period", "duty_pk"),
}
# Routes by a fixed key that is not a row id.
STATIC_KWARGS = {"api:actor-kind-detail": {"code": "pjoprov"}}


def kwargs_for(name, world):
    """The URL kwargs of a route, pointing at the world's rows (None: no kwargs)."""
    if name in OTHER_KWARGS:
        return OTHER_KWARGS[name]
    if name in CODE_KWARGS:
        return {"code": document_of(world[CODE_KWARGS[name]]).code}
    if name in STATIC_KWARGS:
        return dict(STATIC_KWARGS[name])
    if name not in KWARGS:
        return {}
    pk_key, attachment_key = KWARGS[name]
    return pk_kwargs(name, world, world[pk_key].pk)


def extra_kwargs(name, world):
    extra = EXTRA_KWARGS.get(name, {})
    return extra(world) if callable(extra) else dict(extra)


def pk_kwargs(name, world, pk):
    """The kwargs of a route of KWARGS with `pk` as its <pk> (its own name for it, PK_NAMES)."""
    attachment_key = KWARGS[name][1]
    kwargs = {PK_NAMES.get(name, "pk"): pk}
    if attachment_key:
        kwargs["attachment_pk"] = world[attachment_key].pk
    kwargs.update(extra_kwargs(name, world))
    return kwargs

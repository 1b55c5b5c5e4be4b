"""Writing the duty ledger: an ongoing duty's quarterly account, an
incidental duty's occurrence, and the declaration that an incidental duty had
none in a quarter. Each write is atomic, checked here (not only by what the
form offers) and audited (core.audit.record; sentences in core/history.py).

A declaration "tidak ada kejadian" may be made during the quarter as well as
after it; an occurrence recorded later in the same quarter replaces it
(the declaration is removed, and the occurrence's audit event says so)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from actors.models import ActorKind
from appointments.models import Decree
from core import audit, clock
from core.templatetags.fmt import tanggal
from documents.models import Document
from duties.models import Task
from meetings.models import Meeting
from reports.models import ReportType

from . import permissions
from .models import DutyAccount, DutyOccurrence, LedgerAttachment
from .standing import Source, _keys_within, _overlapping, source_of

ACCOUNT_MAX_LENGTH = 3000
OCCURRENCE_MAX_LENGTH = 3000
# The sources whose quarter takes occurrences and a declaration of none.
INCIDENTAL_SOURCES = frozenset({Source.OCCURRENCES, Source.DECREES})


def duty_source(duty):
    """The ledger source of `duty` (ledger.standing.source_of)."""
    report_duty_ids = set(ReportType.objects.filter(duty__isnull=False, active=True).values_list("duty_id", flat=True))
    return source_of(duty, report_duty_ids)


# --- the actor's own work in a quarter: what an account may link -------------------------


def quarter_tasks(actor, period):
    """The actor's tasks of the quarter, as ledger.standing counts them."""
    return (
        Task.objects.filter(actor=actor)
        .exclude(status=Task.Status.CANCELLED)
        .filter(_overlapping("", period) | Q(period="", due_date__range=(period.start, period.end)))
        .select_related("duty__kind")
        .order_by("due_date", "id")
    )


def quarter_meetings(actor, period):
    """The actor's meetings of the quarter (its months or the quarter itself), not cancelled."""
    return (
        Meeting.objects.filter(actor=actor, period__in=_keys_within(period))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "id")
    )


def quarter_documents(actor, period):
    """The documents the actor issued in the quarter (the province's dates)."""
    zone = clock.zone_of(actor.province)
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return Document.objects.filter(actor=actor, issued_at__gte=start, issued_at__lt=end).order_by("issued_at", "id")


# --- checks shared by the writes -----------------------------------------------------------


def _check(user, actor, duty, period, sources):
    if not permissions.may_write(user, actor):
        raise PermissionDenied
    if duty.kind_id != actor.kind_id:
        raise ValidationError(_("Tugas pokok ini bukan tugas pelaku ini."))
    if duty_source(duty) not in sources:
        raise ValidationError(_("Tugas pokok ini tidak dicatat dengan cara ini di buku tugas."))
    if period.start > clock.local_today(actor.province):
        raise ValidationError(_("Triwulan ini belum dimulai."))


def _linked(chosen, allowed, message):
    chosen = list(chosen or [])
    ids = {getattr(obj, "pk", obj) for obj in chosen}
    found = set(allowed.filter(pk__in=ids).values_list("pk", flat=True))
    if ids - found:
        raise ValidationError(message)
    return sorted(ids)


def _locked(actor, duty, period):
    """The actor's account of the duty for the quarter, locked (no join: the
    model's ordering would join the duty, which PostgreSQL cannot lock)."""
    return (
        DutyAccount.objects.filter(actor=actor, duty=duty, period=period.key)
        .order_by("pk")
        .select_for_update(of=("self",))
    )


def _save_once(account):
    """Save; a twin written at the same moment by someone else (the unique
    constraint) is a refusal, never a 500."""
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise ValidationError(_("Uraian triwulan ini baru saja ditulis oleh orang lain. Muat ulang halaman.")) from None


def _store(upload, *, user, actor, **owner):
    return LedgerAttachment.store(upload, user=user, actor=actor, **owner)


# --- the writes ------------------------------------------------------------------------------


def do_save_account(*, user, actor, duty, period, text, tasks=(), meetings=(), documents=(), upload=None):
    """Write (or rewrite) the account of an ongoing duty for the quarter
    `period` (a core.periods.Period): the text, the linked work (the
    actor's own, of that quarter) and an optional file."""
    _check(user, actor, duty, period, {Source.ACCOUNT})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Tuliskan uraian pelaksanaan tugas pada triwulan ini.")})
    if len(text) > ACCOUNT_MAX_LENGTH:
        raise ValidationError({"text": _("Uraian paling banyak %(n)s karakter.") % {"n": ACCOUNT_MAX_LENGTH}})
    task_ids = _linked(
        tasks, quarter_tasks(actor, period), _("Tugas terkait harus tugas pelaku ini pada triwulan ini.")
    )
    meeting_ids = _linked(
        meetings, quarter_meetings(actor, period), _("Rapat terkait harus rapat pelaku ini pada triwulan ini.")
    )
    document_ids = _linked(
        documents,
        quarter_documents(actor, period),
        _("Dokumen terkait harus dokumen yang diterbitkan pelaku ini pada triwulan ini."),
    )
    with transaction.atomic():
        account = _locked(actor, duty, period).first()
        created = account is None
        if created:
            account = DutyAccount(actor=actor, duty=duty, period=period.key, kind=DutyAccount.Kind.ACCOUNT)
        account.kind = DutyAccount.Kind.ACCOUNT
        account.text = text
        account.written_by = user
        _save_once(account)
        account.tasks.set(task_ids)
        account.meetings.set(meeting_ids)
        account.documents.set(document_ids)
        files = []
        if upload:
            files.append(_store(upload, user=user, actor=actor, account=account).name)
        audit.record(
            user,
            "ledger.account_saved",
            account,
            changes={
                "duty": duty.ref,
                "period": period.key,
                "created": created,
                "tasks": len(task_ids),
                "meetings": len(meeting_ids),
                "documents": len(document_ids),
                "files": files,
            },
        )
    return account


def do_record_occurrence(*, user, actor, duty, period, occurred_on, what, action, upload=None):
    """Record an occurrence of an incidental duty in the quarter `period`:
    the date must fall inside it and not after today (the province's date).
    A declaration "tidak ada kejadian" for that quarter is replaced."""
    _check(user, actor, duty, period, INCIDENTAL_SOURCES)
    errors = {}
    today = clock.local_today(actor.province)
    if occurred_on is None or not (period.start <= occurred_on <= period.end):
        errors["occurred_on"] = _("Tanggal kejadian harus di dalam triwulan ini (%(start)s s.d. %(end)s).") % {
            "start": tanggal(period.start),
            "end": tanggal(period.end),
        }
    elif occurred_on > today:
        errors["occurred_on"] = _("Tanggal kejadian tidak boleh setelah hari ini.")
    what, action = (what or "").strip(), (action or "").strip()
    if not what:
        errors["what"] = _("Tuliskan apa yang terjadi.")
    if not action:
        errors["action"] = _("Tuliskan apa yang dilakukan.")
    for key, value in (("what", what), ("action", action)):
        if len(value) > OCCURRENCE_MAX_LENGTH and key not in errors:
            errors[key] = _("Paling banyak %(n)s karakter.") % {"n": OCCURRENCE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        declared = [a.pk for a in _locked(actor, duty, period) if a.kind == DutyAccount.Kind.NO_OCCURRENCE]
        replaced = bool(declared)
        if replaced:
            DutyAccount.objects.filter(pk__in=declared).delete()
        occurrence = DutyOccurrence.objects.create(
            actor=actor, duty=duty, occurred_on=occurred_on, what=what, action=action, recorded_by=user
        )
        files = []
        if upload:
            files.append(_store(upload, user=user, actor=actor, occurrence=occurrence).name)
        audit.record(
            user,
            "ledger.occurrence_recorded",
            occurrence,
            summary=what,
            changes={
                "duty": duty.ref,
                "period": period.key,
                "occurred_on": occurred_on.isoformat(),
                "replaced_declaration": replaced,
                "files": files,
            },
        )
    return occurrence


def do_declare_no_occurrence(*, user, actor, duty, period):
    """Declare that an incidental duty had no occurrence in the quarter.
    Refused when an occurrence (or, for Gubernur 2, a decree) is recorded in
    it, or when it is already declared."""
    _check(user, actor, duty, period, INCIDENTAL_SOURCES)
    with transaction.atomic():
        if DutyOccurrence.objects.filter(
            actor=actor, duty=duty, occurred_on__range=(period.start, period.end)
        ).exists():
            raise ValidationError(
                _("Sudah ada kejadian yang dicatat pada triwulan ini; tidak dapat dinyatakan tidak ada kejadian.")
            )
        if (
            duty_source(duty) == Source.DECREES
            and Decree.objects.filter(
                actor__province=actor.province_id,
                actor__kind__code=ActorKind.TK_PROVINSI,
                date__range=(period.start, period.end),
            ).exists()
        ):
            raise ValidationError(
                _("Sudah ada SK yang dicatat pada triwulan ini; tidak dapat dinyatakan tidak ada kejadian.")
            )
        if _locked(actor, duty, period).exists():
            raise ValidationError(_("Triwulan ini sudah dinyatakan tidak ada kejadian."))
        account = DutyAccount(
            actor=actor, duty=duty, period=period.key, kind=DutyAccount.Kind.NO_OCCURRENCE, written_by=user
        )
        _save_once(account)
        audit.record(user, "ledger.no_occurrence_declared", account, changes={"duty": duty.ref, "period": period.key})
    return account

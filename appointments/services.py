"""Appointment proposals: create, revise, submit, return, reject, approve;
the hand-over of a predecessor's open tasks; the appointment steps of the
reconcile (at the end).

Every function is atomic, checks the permission against the proposal
(appointments.permissions), writes the audit trail (stamped "a.n." for acting
officials) and queues notifications in the outbox.
"""

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actors.models import Actor, Membership, User, normalise_nip
from actors.services import do_add_membership, do_end_membership, on_behalf_of
from core import audit, clock
from core.files import SCAN_TYPES, validate_upload
from core.notifications import notify
from core.permissions import CHANGE, VIEW, sync_grants, user_may
from documents.models import Document
from documents.services import issue_at_source
from duties.calendar import WorkingCalendar
from duties.services import reassign_open_tasks

from . import permissions
from .models import AppointmentRule, Decree, Handover, Proposal, ProposalAttachment, ProposalVersion
from .validation import (
    _check_attachments,
    existing_account,
    people_concerned,
    person_has_account,
    refuse_self_proposal,
    refuse_waiting_twin,
    validate_proposal,
)


def _proposal_record(user, action, obj, actor, summary="", changes=None):
    audit.record(user, action, obj, summary=summary, changes=changes, on_behalf_of=on_behalf_of(user, actor))


def _save_files(save_one, items):
    """Save uploaded files; if anything fails, delete what was stored (the
    rows roll back with the transaction, the files would not)."""
    stored = []
    try:
        for item in items:
            stored.append(save_one(item))
    except Exception:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
    return stored


def _attach_files(proposal, checked, user):
    def save_one(item):
        kind, upload, name, mime = item
        return ProposalAttachment.store(
            upload, checked=(name, mime), user=user, proposal=proposal, kind=kind, version=proposal.version
        ).file

    return _save_files(save_one, checked)


PROPOSAL_FIELDS = (
    "position",
    "user",
    "full_name",
    "nip",
    "email",
    "phone",
    "agency",
    "mode",
    "acting_for",
    "replaces",
    "start_date",
    "end_date",
    "reason",
)


def _apply_fields(proposal, data):
    for field in PROPOSAL_FIELDS:
        if field in data:
            value = data[field]
            setattr(proposal, field, value.strip() if isinstance(value, str) else value)
    proposal.nip = normalise_nip(proposal.nip)
    if proposal.user_id:
        # An existing account: its own data is the truth.
        proposal.full_name = proposal.nip = proposal.email = proposal.phone = proposal.agency = ""


@transaction.atomic
def do_create_proposal(*, user, actor, data, files=()):
    """Draft a proposal to seat a person in `actor`. The user must be allowed
    to propose for that actor by the AppointmentRule data (a current member
    of a proposer actor of the same province). Atomic; on any error nothing
    is saved. `files` is [(kind, upload)]."""
    targets = {t.pk: proposer for t, proposer in permissions.proposal_targets_for_user(user)}
    if actor.pk not in targets:
        raise PermissionDenied
    rule = AppointmentRule.objects.select_related("approver_kind").get(target_kind_id=actor.kind_id)
    approver = Actor.objects.filter(kind=rule.approver_kind, province_id=actor.province_id).first()
    if approver is None:
        raise ValidationError(_("Belum ada pelaku penyetuju untuk %(actor)s.") % {"actor": actor})
    proposal = Proposal(
        actor=actor,
        proposer_actor=targets[actor.pk],
        approver_actor=approver,
        requires_decree=rule.requires_decree,
        created_by=user,
    )
    _apply_fields(proposal, data)
    refuse_self_proposal(user, proposal)
    validate_proposal(proposal)
    checked = _check_attachments(files)
    proposal.full_clean()
    proposal.save()
    sync_grants([proposal])
    _attach_files(proposal, checked, user)
    _proposal_record(
        user,
        "proposal.created",
        proposal,
        proposal.proposer_actor,
        summary=str(proposal),
        changes={"after": proposal.snapshot(), "files": [c[2] for c in checked]},
    )
    return proposal


def _lock(proposal):
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("actor__kind", "actor__province", "position", "proposer_actor", "approver_actor", "user")
        .get(pk=proposal.pk)
    )


def _require(user, proposal, perm):
    if not user_may(user, proposal, perm):
        raise PermissionDenied


def _require_status(proposal, allowed, message):
    if proposal.status not in allowed:
        raise ValidationError(message % {"status": proposal.get_status_display()})


@transaction.atomic
def do_update_proposal(*, user, proposal, data, files=()):
    """Revise a draft or returned proposal (proposer actor only)."""
    proposal = _lock(proposal)
    _require(user, proposal, CHANGE)
    _require_status(proposal, Proposal.EDITABLE, _("Usulan berstatus %(status)s tidak dapat diubah."))
    before = proposal.snapshot()
    _apply_fields(proposal, data)
    refuse_self_proposal(user, proposal)
    validate_proposal(proposal)
    checked = _check_attachments(files)
    proposal.full_clean()
    proposal.save()
    _attach_files(proposal, checked, user)
    after = proposal.snapshot()
    _proposal_record(
        user,
        "proposal.updated",
        proposal,
        proposal.proposer_actor,
        summary=str(proposal),
        changes={
            "before": {k: v for k, v in before.items() if after.get(k) != v},
            "after": {k: v for k, v in after.items() if before.get(k) != v},
            "files": [c[2] for c in checked],
        },
    )
    return proposal


def _members_of(actor, on=None):
    return [
        m.user
        for m in Membership.objects.current(clock.local_today(actor.province, on))
        .filter(actor=actor)
        .select_related("user")
    ]


@transaction.atomic
def do_submit_proposal(*, user, proposal):
    """Send a draft (or a revised, returned) proposal to the approver. Keeps
    the submitted text as a new version; tells the approver's members."""
    proposal = _lock(proposal)
    _require(user, proposal, CHANGE)
    _require_status(proposal, Proposal.EDITABLE, _("Usulan berstatus %(status)s tidak dapat diajukan."))
    refuse_self_proposal(user, proposal)
    validate_proposal(proposal)
    refuse_waiting_twin(proposal)
    before = proposal.status
    if before == Proposal.Status.RETURNED:
        proposal.version += 1
    proposal.status = Proposal.Status.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "version", "submitted_at", "updated_at"])
    ProposalVersion.objects.create(
        proposal=proposal, number=proposal.version, data=proposal.snapshot(), submitted_by=user
    )
    sync_grants([proposal])
    _proposal_record(
        user,
        "proposal.submitted",
        proposal,
        proposal.proposer_actor,
        summary=_("Versi %(n)s diajukan") % {"n": proposal.version},
        changes={"before": {"status": before}, "after": {"status": proposal.status, "version": proposal.version}},
    )
    notify(
        _members_of(proposal.approver_actor),
        key=f"proposal-submitted:{proposal.pk}:v{proposal.version}",
        subject=_("Usulan penetapan menunggu persetujuan: %(p)s") % {"p": proposal},
        body=_("%(proposer)s mengajukan usulan penetapan. Periksa dan putuskan: setujui, kembalikan, atau tolak.")
        % {"proposer": proposal.proposer_actor.name},
        url=reverse("appointments:proposal_detail", args=[proposal.pk]),
    )
    return proposal


def _proposer_people(proposal):
    ids = {proposal.created_by_id, *proposal.versions.values_list("submitted_by_id", flat=True)}
    return list(User.objects.filter(pk__in=ids))


def _require_decidable(user, proposal):
    """The approver's checks, in the order that gives the clearest answer to
    a second approver who lost a race: 'already decided' (a decided proposal
    no longer grants approve), but only to someone who may see it. Then four
    eyes: nobody approves, returns or rejects a proposal that concerns them
    (the person proposed, the one they act for, the one they replace)."""
    _require(user, proposal, VIEW)
    _require_status(proposal, (Proposal.Status.SUBMITTED,), _("Usulan ini sudah diputuskan (status: %(status)s)."))
    _require(user, proposal, permissions.APPROVE)
    if user.pk in people_concerned(proposal):
        raise ValidationError(
            _("Usulan ini menyangkut diri Anda sendiri; keputusannya diambil oleh anggota lain dari %(approver)s.")
            % {"approver": proposal.approver_actor.name}
        )


def _decide(user, proposal, status, reason, action):
    proposal = _lock(proposal)
    _require_decidable(user, proposal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasannya agar pengusul dapat menindaklanjuti.")})
    before = proposal.status
    proposal.status = status
    proposal.decision_reason = reason
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"])
    sync_grants([proposal])
    _proposal_record(
        user,
        action,
        proposal,
        proposal.approver_actor,
        summary=reason,
        changes={"before": {"status": before}, "after": {"status": status}},
    )
    notify(
        _proposer_people(proposal),
        key=f"{action}:{proposal.pk}:v{proposal.version}",
        subject=_("Usulan %(status)s: %(p)s") % {"status": proposal.get_status_display().lower(), "p": proposal},
        body=_("Alasan: %(reason)s") % {"reason": reason},
        url=reverse("appointments:proposal_detail", args=[proposal.pk]),
    )
    return proposal


@transaction.atomic
def do_return_proposal(*, user, proposal, reason):
    """Send a submitted proposal back for revision with a reason (approver only)."""
    return _decide(user, proposal, Proposal.Status.RETURNED, reason, "proposal.returned")


@transaction.atomic
def do_reject_proposal(*, user, proposal, reason):
    """Refuse a submitted proposal for good, with a reason (approver only)."""
    return _decide(user, proposal, Proposal.Status.REJECTED, reason, "proposal.rejected")


def _unique_username(proposal):
    base = proposal.nip or slugify(proposal.email.split("@")[0]) or slugify(proposal.full_name) or "pengguna"
    base = base[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _lock_identity(proposal):
    """Make approvals of the same new person (NIP or email) wait for each
    other, so the second sees the first's account (PostgreSQL: transaction
    advisory locks; SQLite has one writer at a time anyway)."""
    if connection.vendor != "postgresql":
        return
    nip, email = normalise_nip(proposal.nip), proposal.email.strip().lower()
    keys = [key for key, value in (("nip:" + nip, nip), ("email:" + email, email)) if value]
    with connection.cursor() as cursor:
        for key in sorted(keys):  # always in the same order: no deadlock
            number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def _refuse_existing_account(proposal):
    account = existing_account(proposal)
    if account is not None:
        raise person_has_account(proposal, account, approval=True)


def _create_account(proposal, by):
    """The new person's account: active, with no usable password until they
    set one through the one-time link. Refuses (ValidationError) when the
    person got an account meanwhile: another approval or an administrator
    may have created it after this one checked (the user_nip_unique
    constraint answers for the NIP; the insert runs in a savepoint)."""
    for attempt in range(3):
        _refuse_existing_account(proposal)
        user = User(
            username=_unique_username(proposal),
            full_name=proposal.full_name,
            nip=proposal.nip,
            email=proposal.email,
            phone=proposal.phone,
            agency=proposal.agency,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"], validate_constraints=False)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # The NIP or the username was taken after the checks: say who
            # has the NIP, or try the next free username.
            _refuse_existing_account(proposal)
            if attempt == 2:
                raise
            continue
        break
    audit.record(by, "user.created", user, summary=_("Akun dibuat dari usulan penetapan #%(pk)s") % {"pk": proposal.pk})
    return user


def activation_path(user):
    return reverse(
        "appointments:account_activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def _send_activation(user, proposal, key=None):
    notify(
        [user],
        key=key or f"account-activation:{user.pk}",
        subject=_("Akun Anda di aplikasi PNPM-MP Provinsi"),
        body=_(
            "Anda ditetapkan sebagai %(position)s %(actor)s. Nama pengguna Anda: %(username)s. "
            "Buka tautan berikut untuk membuat kata sandi (hanya dapat dipakai sekali)."
        )
        % {"position": proposal.position_label, "actor": proposal.actor.name, "username": user.username},
        url=activation_path(user),
    )


def needs_activation(proposal):
    """True when the appointed person has not set a password yet."""
    person = proposal.membership.user if proposal.membership_id else None
    return person is not None and person.is_active and not person.has_usable_password()


# Each press of "kirim ulang tautan aktivasi" sends an email: at most one link
# per person this often (the first, sent at approval, counts too).
RESEND_ACTIVATION_MINUTES = 10


@transaction.atomic
def do_resend_activation(*, user, proposal):
    """Send the appointed person a fresh one-time link to set a password (the
    first one expires after PASSWORD_RESET_TIMEOUT). Anyone who may see the
    approved proposal may ask; only while no password has been set, and not
    again within RESEND_ACTIVATION_MINUTES of the last link (read from the
    outbox; the proposal's row lock makes two presses at once wait for each
    other)."""
    proposal = _lock(proposal)
    _require(user, proposal, VIEW)
    if proposal.status != Proposal.Status.APPROVED or not needs_activation(proposal):
        raise ValidationError(_("Orang ini sudah membuat kata sandi; tautan tidak perlu dikirim ulang."))
    person = proposal.membership.user
    links = person.notifications.filter(key__startswith=f"account-activation:{person.pk}")
    last = links.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and timezone.now() - last < datetime.timedelta(minutes=RESEND_ACTIVATION_MINUTES):
        raise ValidationError(
            _(
                "Tautan untuk orang ini dikirim kurang dari %(minutes)d menit yang lalu. Minta ia memeriksa "
                "kotak masuk dan folder spam, atau kirim ulang nanti."
            )
            % {"minutes": RESEND_ACTIVATION_MINUTES}
        )
    sent = links.count()
    _send_activation(person, proposal, key=f"account-activation:{person.pk}:{sent + 1}")
    _proposal_record(
        user,
        "user.activation_resent",
        proposal,
        proposal.approver_actor
        if user.groups.filter(pk=proposal.approver_actor.group_id).exists()
        else proposal.proposer_actor,
        summary=_("Tautan pembuatan kata sandi dikirim ulang kepada %(name)s") % {"name": person},
        changes={"person": person.pk},
    )
    return person


@transaction.atomic
def do_approve_proposal(*, user, proposal, start_date, end_date, decree=None, scan=None):
    """Approve a submitted proposal (approver only).

    With a decree rule, `decree` holds number, date, subject, signed_by and
    `scan` the PDF or image of the signed SK. Creates the Decree (one per
    proposal: the proposal row is locked and Decree.proposal is unique, so two
    approvals at once give one decree), the new person's account when needed,
    and the membership for the decree's term. A definitive head (ketua, PjOProv,
    koordinator) in post ends the day before the new term starts; open tasks
    move to the successor once both terms allow it (here, or by the reconcile).
    """
    proposal = _lock(proposal)
    _require_decidable(user, proposal)
    decree, checked_scan = _check_approval_input(proposal, start_date, end_date, decree, scan)
    predecessor = _check_decidable_now(proposal, start_date, end_date)
    record = _new_decree(user, proposal, decree, checked_scan, start_date, end_date)
    person, new_account = _person_to_seat(user, proposal)
    _end_predecessor(user, predecessor, start_date)
    membership = _record_decree_and_seat(
        user, proposal, record, scan, checked_scan, person, predecessor, start_date, end_date
    )
    _mark_approved(user, proposal, membership, record)
    _notify_approval(proposal, record, person, new_account, membership, start_date)
    if predecessor is not None and start_date <= clock.local_today(proposal.actor.province):
        hand_over(predecessor, membership, by=user)
    return proposal


def _check_approval_input(proposal, start_date, end_date, decree, scan):
    """The approver's form, checked before anything is locked or written:
    the term in order and, with a decree rule, every decree field and the
    scan. Returns (the decree's fields stripped, (scan name, type) or None)."""
    errors = {}
    if end_date and start_date and end_date < start_date:
        errors["end_date"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    checked_scan = None
    if proposal.requires_decree:
        decree = {k: (v.strip() if isinstance(v, str) else v) for k, v in (decree or {}).items()}
        for field, message in (
            ("number", _("Nomor SK wajib diisi.")),
            ("date", _("Tanggal SK wajib diisi.")),
            ("subject", _("Isi perihal SK (tentang).")),
            ("signed_by", _("Isi nama pejabat yang menandatangani SK.")),
        ):
            if not decree.get(field):
                errors.setdefault(field, []).append(message)
        if scan is None:
            errors.setdefault("scan", []).append(_("Unggah pindaian SK (PDF atau gambar)."))
        else:
            try:
                checked_scan = validate_upload(scan, allowed=SCAN_TYPES)
            except ValidationError as exc:
                errors.setdefault("scan", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return decree, checked_scan


def _check_decidable_now(proposal, start_date, end_date):
    """Under the locks: one head change at a time per actor, one account per
    person, and every proposal rule for the approved term. Returns the
    predecessor the appointment ends (or None)."""
    # One head change at a time per actor: lock the actor row.
    list(Actor.objects.select_for_update().filter(pk=proposal.actor_id).order_by().values_list("pk", flat=True))
    if proposal.user_id is None:
        # One person, one account: check again now, after the approvals of
        # the same person that began first have finished.
        _lock_identity(proposal)
        _refuse_existing_account(proposal)
    proposal.start_date, proposal.end_date = start_date, end_date
    return validate_proposal(proposal)


def _new_decree(user, proposal, decree, checked_scan, start_date, end_date):
    """The Decree to record (validated, not saved yet), or None without a decree rule."""
    if not proposal.requires_decree:
        return None
    record = Decree(
        proposal=proposal,
        actor=proposal.actor,
        number=decree["number"],
        date=decree["date"],
        subject=decree["subject"],
        signed_by=decree["signed_by"],
        start_date=start_date,
        end_date=end_date,
        scan_name=checked_scan[0],
        scan_content_type=checked_scan[1],
        created_by=user,
    )
    record.full_clean(exclude=["scan", "proposal"])
    return record


def _person_to_seat(user, proposal):
    """(the person appointed, whether their account was made just now)."""
    person = proposal.user
    new_account = person is None
    if new_account:
        person = _create_account(proposal, user)
        proposal.user = person
    return person, new_account


def _end_predecessor(user, predecessor, start_date):
    """The head in post leaves the day before the new term starts."""
    if predecessor is not None and (predecessor.end_date is None or predecessor.end_date >= start_date):
        do_end_membership(predecessor, end_date=start_date - datetime.timedelta(days=1), by=user)


def _record_decree(user, proposal, record, scan, checked_scan, stored):
    record.scan.save(checked_scan[0], scan, save=False)
    stored.append(record.scan)
    record.save()
    # The decree's record as an issued document (its PDF stored once); on a
    # later error its file goes with the scan.
    document = issue_at_source(Document.Kind.DECREE, record)
    if document is not None:
        stored.append(document.file)
    _proposal_record(
        user,
        "decree.created",
        record,
        proposal.approver_actor,
        summary=str(record),
        changes={
            "after": {
                "number": record.number,
                "date": str(record.date),
                "subject": record.subject,
                "signed_by": record.signed_by,
                "start_date": str(record.start_date),
                "end_date": str(record.end_date) if record.end_date else None,
            }
        },
    )


def _record_decree_and_seat(user, proposal, record, scan, checked_scan, person, predecessor, start_date, end_date):
    """Save the decree with its scan (when there is one) and the membership
    for the term. On any error the stored scan is deleted (the rows roll back
    with the transaction, the file would not)."""
    stored = []
    try:
        if record is not None:
            _record_decree(user, proposal, record, scan, checked_scan, stored)
        return do_add_membership(
            user=person,
            actor=proposal.actor,
            position=proposal.position,
            start_date=start_date,
            end_date=end_date,
            mode=proposal.mode,
            acting_for=proposal.acting_for,
            decree=record,
            predecessor=predecessor,
            by=user,
        )
    except Exception:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def _mark_approved(user, proposal, membership, record):
    before = proposal.status
    proposal.status = Proposal.Status.APPROVED
    proposal.membership = membership
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.decision_reason = ""
    proposal.save(
        update_fields=[
            "status",
            "membership",
            "user",
            "start_date",
            "end_date",
            "decided_by",
            "decided_at",
            "decision_reason",
            "updated_at",
        ]
    )
    sync_grants([proposal])
    _proposal_record(
        user,
        "proposal.approved",
        proposal,
        proposal.approver_actor,
        summary=str(record) if record else _("Didaftarkan tanpa SK"),
        changes={
            "before": {"status": before},
            "after": {"status": proposal.status, "membership": membership.pk, "decree": record.pk if record else None},
        },
    )


def _notify_approval(proposal, record, person, new_account, membership, start_date):
    """Tell the proposers; send a new person the link to set a password, or
    tell an existing account of the appointment."""
    url = reverse("appointments:proposal_detail", args=[proposal.pk])
    notify(
        _proposer_people(proposal),
        key=f"proposal.approved:{proposal.pk}",
        subject=_("Usulan disetujui: %(p)s") % {"p": proposal},
        body=(_("SK %(number)s tanggal %(date)s.") % {"number": record.number, "date": record.date}) if record else "",
        url=url,
    )
    if new_account:
        _send_activation(person, proposal)
    else:
        notify(
            [person],
            key=f"appointed:{membership.pk}",
            subject=_("Anda ditetapkan sebagai %(position)s %(actor)s")
            % {"position": proposal.position_label, "actor": proposal.actor.name},
            body=_("Masa jabatan mulai %(start)s.") % {"start": start_date},
            url=reverse("appointments:team", args=[proposal.actor_id]),
        )


def hand_over(predecessor, successor, by=None):
    """Move the predecessor's open tasks in the actor to the successor, once
    (Handover.predecessor is unique). Returns the Handover, or None when it
    was done before."""
    try:
        with transaction.atomic():
            handover = Handover.objects.create(predecessor=predecessor, successor=successor)
            handover.tasks_moved = reassign_open_tasks(
                predecessor.actor, predecessor.user, successor.user, by=by, successor=successor
            )
            handover.save(update_fields=["tasks_moved"])
            audit.record(
                by,
                "membership.handed_over",
                predecessor,
                summary=_("Serah terima kepada %(name)s: %(n)s tugas terbuka dialihkan")
                % {"name": successor.user, "n": handover.tasks_moved},
                changes={"after": {"successor": successor.pk, "tasks_moved": handover.tasks_moved}},
            )
    except IntegrityError:
        return None
    return handover


# --- reconcile steps -------------------------------------------------------------
#
# Called by home.reconcile.run_schedule. Each is idempotent: hand-overs are
# unique per predecessor, reminders per (recipient, notification key).


def hand_over_started_terms(on=None):
    """Hand over open tasks for every successor whose term has started and
    whose predecessor has left. Idempotent (one Handover per predecessor).
    Returns the number of hand-overs done."""
    pending = (
        Membership.objects.filter(predecessor__isnull=False, predecessor__handover__isnull=True)
        .select_related("actor__province", "predecessor__actor", "predecessor__user", "user")
        .order_by("start_date", "pk")
    )
    done = 0
    for successor in pending:
        today = clock.local_today(successor.actor.province, on)
        predecessor = successor.predecessor
        if successor.start_date <= today and predecessor.end_date is not None and predecessor.end_date < today:
            done += hand_over(predecessor, successor) is not None
    return done


def remind_waiting_proposals(on=None, calendar=None):
    """Tell the approver's members about proposals waiting more than
    APPOINTMENT_REMINDER_WORKING_DAYS working days, once per submitted version
    (the notification's (recipient, key) is unique). Returns reminders created."""
    calendar = calendar or WorkingCalendar()
    limit = settings.APPOINTMENT_REMINDER_WORKING_DAYS
    created = 0
    waiting = Proposal.objects.waiting().select_related("actor__kind", "approver_actor__province", "position")
    for proposal in waiting:
        province = proposal.approver_actor.province
        today = clock.local_today(province, on)
        submitted = timezone.localtime(proposal.submitted_at, province.tzinfo if province else None).date()
        days = calendar.working_days_between(submitted, today, province)
        if days <= limit:
            continue
        created += notify(
            _members_of(proposal.approver_actor, today),
            key=f"proposal-waiting:{proposal.pk}:v{proposal.version}",
            subject=_("Usulan menunggu %(days)s hari kerja: %(p)s") % {"days": days, "p": proposal},
            body=_("Usulan ini diajukan oleh %(proposer)s dan belum diputuskan.")
            % {"proposer": proposal.proposer_actor.name},
            url=reverse("appointments:proposal_detail", args=[proposal.pk]),
        )
    return created


TERM_REMINDER_DAYS = 30


def remind_terms_ending(on=None):
    """30 days before a decree's term ends, tell the actor's members and the
    approver's (the Gubernur's office), once per membership and end date.
    Returns reminders created."""
    created = 0
    # Candidates for every province's today; each is then judged in its own.
    earliest, latest = (on, on) if on is not None else clock.today_span()
    ending = (
        Membership.objects.filter(proposal__isnull=False, end_date__isnull=False)
        .filter(end_date__gte=earliest, end_date__lte=latest + datetime.timedelta(days=TERM_REMINDER_DAYS))
        .select_related("actor__province", "actor__kind", "user", "position", "proposal__approver_actor", "decree")
    )
    for membership in ending:
        today = clock.local_today(membership.actor.province, on)
        if not (today <= membership.end_date <= today + datetime.timedelta(days=TERM_REMINDER_DAYS)):
            continue
        people = {
            u.pk: u
            for u in _members_of(membership.actor, today) + _members_of(membership.proposal.approver_actor, today)
        }
        created += notify(
            people.values(),
            key=f"term-ending:{membership.pk}:{membership.end_date}",
            subject=_("Masa jabatan berakhir %(end)s: %(position)s %(name)s")
            % {"end": membership.end_date, "position": membership.position_label, "name": membership.user},
            body=(
                _("%(decree)s berakhir pada %(end)s. Ajukan penetapan baru bila jabatan ini perlu diisi.")
                % {"decree": membership.decree or _("Masa jabatan"), "end": membership.end_date}
            ),
            url=reverse("appointments:team", args=[membership.actor_id]),
        )
    return created

"""The rules a proposal must satisfy to be saved, submitted or approved:
one head per seat at a time, the person named, the term in order, the
uploads what they claim to be. Raise ValidationError; write nothing."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from actors.models import Membership, normalise_nip
from actors.services.memberships import validate_position
from actors.services.validation import accounts_matching, head_conflicts, head_in_post, identity_q
from core.files import validate_upload

from .models import Proposal

# --- one person, one account ---------------------------------------------------
#
# A "new person" in a proposal becomes an account on approval. The same person
# (the same NIP, spaces ignored, or the same email in any case) must never get
# a second one: a proposal naming someone who has an account is refused at
# save, submit and approval, and the approver's transaction checks again
# (appointments.services._create_account, backed by the user_nip_unique
# constraint). Another open proposal for the same new person is a warning
# while it is a draft or returned (a forgotten draft must not block anyone),
# and a refusal at submission while it waits for a decision.

OPEN_STATUSES = (Proposal.Status.DRAFT, Proposal.Status.SUBMITTED, Proposal.Status.RETURNED)


class PersonHasAccount(ValidationError):
    """The proposal's new person already has an account: `account`."""

    def __init__(self, message, account):
        super().__init__(message)
        self.account = account


def existing_account(proposal):
    """The account a new person of `proposal` already has, or None."""
    if proposal.user_id is not None:
        return None
    return accounts_matching(proposal.nip, proposal.email).first()


def open_twins(proposal):
    """Other undecided proposals for the same new person (same NIP or email)."""
    q = identity_q(proposal.nip, proposal.email, username=False) if proposal.user_id is None else Q()
    if not q:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(user__isnull=True, status__in=OPEN_STATUSES)
        .exclude(pk=proposal.pk)
        .annotate(nip_key=Replace("nip", Value(" "), Value("")))
        .filter(q)
        .order_by("pk")
    )


def _matched_on(proposal, account):
    nip = normalise_nip(proposal.nip)
    return "nip" if nip and nip in (normalise_nip(account.nip), account.username) else "email"


def account_message(proposal, account):
    """What the proposer reads: who the account is and what to do instead."""
    params = {
        "name": account.display_name,
        "username": account.username,
        "what": "NIP" if _matched_on(proposal, account) == "nip" else _("email"),
    }
    if not account.is_active:
        return (
            _(
                "%(name)s sudah punya akun (nama pengguna %(username)s) dengan %(what)s ini, tetapi akun itu "
                "tidak aktif. Satu orang hanya punya satu akun: minta administrator mengaktifkannya kembali, "
                "lalu usulkan akun tersebut."
            )
            % params
        )
    return (
        _(
            "%(name)s sudah punya akun (nama pengguna %(username)s) dengan %(what)s ini. Satu orang hanya punya "
            "satu akun: usulkan akun tersebut, bukan orang baru."
        )
        % params
    )


def approval_account_message(account):
    """What the approver reads when the account appeared after submission."""
    return _(
        "%(name)s sudah punya akun (nama pengguna %(username)s) dengan NIP atau email yang sama; persetujuan ini "
        "tidak membuat akun kedua dan tidak menyimpan apa pun. Kembalikan usulan agar pengusul memilih akun "
        "tersebut."
    ) % {"name": account.display_name, "username": account.username}


def person_has_account(proposal, account, approval=False):
    if approval:
        return PersonHasAccount(approval_account_message(account), account)
    return PersonHasAccount({_matched_on(proposal, account): [account_message(proposal, account)]}, account)


def refuse_waiting_twin(proposal):
    """At submission: another proposal for the same new person is waiting for
    a decision. Its approval makes the account; this one would be a second."""
    twin = open_twins(proposal).filter(status=Proposal.Status.SUBMITTED).first()
    if twin is not None:
        raise ValidationError(
            _(
                "Orang yang sama (NIP atau email) sudah diusulkan dalam usulan #%(pk)s yang sedang menunggu "
                "persetujuan. Tunggu keputusannya: bila disetujui, usulkan akun yang dibuat untuknya; bila "
                "ditolak, ajukan usulan ini."
            )
            % {"pk": twin.pk}
        )


def _predecessor_for(proposal):
    if proposal.replaces_id:
        return proposal.replaces
    return head_in_post(proposal.actor, proposal.position, proposal.mode, proposal.start_date)


def people_concerned(proposal):
    """Ids of the people a proposal concerns: the person proposed, the official
    they would act for and the one whose term it ends. None of them decides on
    it (four eyes: appointments.services._require_decidable)."""
    ids = {proposal.user_id, proposal.acting_for_id}
    predecessor = _predecessor_for(proposal)
    if predecessor is not None:
        ids.add(predecessor.user_id)
    ids.discard(None)
    return ids


def refuse_self_proposal(user, proposal):
    """Nobody proposes themselves: the person named is proposed by someone
    else of the proposing actor. Raises ValidationError on the person."""
    if user is not None and proposal.user_id is not None and proposal.user_id == user.pk:
        raise ValidationError(
            {"user": _("Anda tidak dapat mengusulkan diri sendiri; usulan untuk Anda dibuat oleh orang lain.")}
        )


def validate_proposal(proposal):
    """Every rule a proposal must satisfy to be saved, submitted or approved.
    Raises ValidationError (Indonesian, per field) and writes nothing."""
    errors = {}
    proposal_errors = []
    account = None
    try:
        validate_position(proposal.actor, proposal.position)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if proposal.end_date and proposal.start_date and proposal.end_date < proposal.start_date:
        errors.setdefault("end_date", []).append(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    if proposal.user_id is None:
        if not proposal.full_name.strip():
            errors.setdefault("full_name", []).append(_("Isi nama lengkap orang yang diusulkan, atau pilih akun."))
        if not proposal.email.strip():
            errors.setdefault("email", []).append(
                _("Email wajib untuk orang baru: tautan untuk membuat kata sandi dikirim ke sana.")
            )
        if proposal.nip and (not proposal.nip.isdigit() or len(proposal.nip) != 18):
            errors.setdefault("nip", []).append(_("NIP terdiri atas 18 angka."))
        account = existing_account(proposal)
        if account is not None:
            for field, messages in person_has_account(proposal, account).message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if proposal.is_acting and proposal.acting_for_id and proposal.acting_for_id == proposal.user_id:
        errors.setdefault("acting_for", []).append(_("Seseorang tidak dapat bertindak untuk dirinya sendiri."))
    if not proposal.is_acting and proposal.acting_for_id:
        errors.setdefault("acting_for", []).append(_("Hanya pejabat Plt./Pj./Plh. yang bertindak untuk orang lain."))
    if proposal.replaces_id and proposal.replaces.actor_id != proposal.actor_id:
        errors.setdefault("replaces", []).append(_("Keanggotaan yang digantikan harus dari pelaku yang sama."))
    if errors:
        raise PersonHasAccount(errors, account) if account is not None else ValidationError(errors)
    predecessor = _predecessor_for(proposal)
    if predecessor is not None and predecessor.start_date >= proposal.start_date:
        errors.setdefault("start_date", []).append(
            _("Tanggal mulai harus setelah awal masa jabatan %(name)s (%(start)s) yang digantikan.")
            % {"name": predecessor.user, "start": predecessor.start_date}
        )
    conflicts = list(
        head_conflicts(
            actor=proposal.actor,
            position=proposal.position,
            mode=proposal.mode,
            start_date=proposal.start_date,
            end_date=proposal.end_date,
            predecessor=predecessor,
        )
    )
    for m in conflicts:
        proposal_errors.append(
            _(
                "Jabatan %(position)s pada %(actor)s sudah diisi %(name)s mulai %(start)s%(until)s; masa jabatan "
                "yang diusulkan tumpang tindih. Tentukan tanggal selesai sebelum itu, atau akhiri dulu masa "
                "jabatan tersebut."
            )
            % {
                "position": m.position_label,
                "actor": proposal.actor.name,
                "name": m.user,
                "start": m.start_date,
                "until": (_(" sampai %(end)s") % {"end": m.end_date}) if m.end_date else "",
            }
        )
    if proposal.user_id:
        same = Membership.objects.filter(
            user_id=proposal.user_id, actor=proposal.actor, position=proposal.position
        ).exclude(end_date__lt=proposal.start_date)
        if proposal.end_date:
            same = same.filter(start_date__lte=proposal.end_date)
        if predecessor is not None:
            same = same.exclude(pk=predecessor.pk)
        if same.exists():
            proposal_errors.append(_("Orang ini sudah menjabat pada jabatan yang sama dalam masa itu."))
    if proposal_errors:
        errors[NON_FIELD_ERRORS] = proposal_errors
    if errors:
        raise ValidationError(errors)
    return predecessor


def _check_attachments(files):
    """[(kind, upload)] -> [(kind, upload, name, mime)], validated by content."""
    checked = []
    errors = {}
    for kind, upload in files:
        try:
            name, mime = validate_upload(upload)
        except ValidationError as exc:
            errors.setdefault(kind, []).extend(exc.messages)
        else:
            checked.append((kind, upload, name, mime))
    if errors:
        raise ValidationError(errors)
    return checked

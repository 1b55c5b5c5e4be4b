"""Pages for appointments: proposals (list, create, revise, detail), the
approver's inbox and decisions, the printable decree summary and the
decree's issued record (PDF), the team page of an actor, and the one-time
link a new member uses to set a password.

Thin views: parse, access helper, service, render or redirect.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST, require_safe

from actors.models import Actor, Membership
from actors.permissions import current_group_ids
from actors.services import head_in_post
from core import clock
from core.audit_views import history_for
from core.files import attachment_response
from core.forms import add_errors
from core.pagination import PAGE_SIZE, paginate_ids
from core.permissions import CHANGE, VIEW, get_for_user_or_404, user_may
from documents.pdf import ExportUnavailable
from documents.services import document_of
from documents.signing import SigningUnavailable
from documents.views import export_unavailable
from duties.calendar import WorkingCalendar

from . import issued, permissions, services, validation
from .forms import PERSON_PARAM, ApprovalForm, DecisionForm, ProposalFilterForm, ProposalForm, person_token
from .models import AppointmentRule, Decree, Proposal, ProposalAttachment

P = permissions


def _person_query(account):
    return urlencode({PERSON_PARAM: person_token(account)})


def _existing_person(exc, page_url, user):
    """For a refusal because the new person has an account: that account and
    the link that proposes it instead (the form with it pre-selected), or None."""
    account = getattr(exc, "account", None)
    if account is None:
        return None
    usable = account.is_active and account.pk != user.pk
    return {"account": account, "url": f"{page_url}?{_person_query(account)}" if usable else None}


def _form_context(request, form, proposal=None, existing=None):
    token = request.GET.get(PERSON_PARAM)
    return {
        "form": form,
        "proposal": proposal,
        "existing_person": existing,
        # The page that pre-selects an account posts back to itself with the
        # parameter, and keeps its own typed draft (static/js/app.js keys
        # drafts by the form's action).
        "form_action": f"?{urlencode({PERSON_PARAM: token})}" if form and form.chosen_person else "",
    }


def _twins_warning(request, proposal):
    if validation.open_twins(proposal).exists():
        messages.warning(
            request,
            _(
                "Orang yang sama (NIP atau email) juga diusulkan dalam usulan lain yang belum diputuskan. "
                "Lihat peringatan di halaman usulan."
            ),
        )


def _proposals():
    return Proposal.objects.select_related(
        "actor__kind",
        "actor__province",
        "position",
        "user",
        "acting_for",
        "decided_by",
        "proposer_actor__kind",
        "proposer_actor__province",
        "approver_actor__kind",
        "approver_actor__province",
    )


def _waiting_days(proposals, calendar):
    """Set `days_waiting` (working days since submission, in the province's
    own calendar; None unless submitted) on each proposal; returns them."""
    for p in proposals:
        p.days_waiting = None
        if p.status == Proposal.Status.SUBMITTED and p.submitted_at:
            province = p.actor.province
            submitted = timezone.localtime(p.submitted_at, province.tzinfo).date()
            p.days_waiting = calendar.working_days_between(submitted, province.today(), province)
    return proposals


@require_safe
def proposal_list(request):
    form = ProposalFilterForm(request.GET or None)
    proposals = _proposals().for_user(request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        proposals, status = proposals.none(), 400
    elif form.is_bound and form.cleaned_data.get("status"):
        proposals = proposals.filter(status=form.cleaned_data["status"])
    page = paginate_ids(
        proposals,
        ("-created_at", "-id"),
        request.GET.get("page"),
        PAGE_SIZE,
        lambda ids: _proposals().filter(pk__in=ids),
    )
    page.object_list = _waiting_days(page.object_list, WorkingCalendar())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),  # the pages keep the filter
        "can_propose": bool(P.proposal_targets_for_user(request.user)),
        "waiting_for_me": Proposal.objects.for_user(request.user, P.APPROVE).count(),
        # The inbox is always offered to an office that approves some seats
        # (the Governor's office), empty or not.
        "approves": AppointmentRule.objects.filter(
            approver_kind__actors__group__in=current_group_ids(request.user)
        ).exists(),
    }
    return render(request, "appointments/proposal_list.html", context, status=status)


@require_safe
def proposal_inbox(request):
    """Proposals waiting for the user's decision, oldest first, with the
    working days each has waited, and counts of what the approver has seen."""
    mine = _proposals().for_user(request.user).filter(approver_actor__group__in=current_group_ids(request.user))
    counts = dict(mine.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    waiting = list(_proposals().for_user(request.user, P.APPROVE).order_by("submitted_at", "id"))
    _waiting_days(waiting, WorkingCalendar())
    limit = settings.APPOINTMENT_REMINDER_WORKING_DAYS
    context = {
        "waiting": waiting,
        "limit": limit,
        "overdue_count": sum(1 for p in waiting if p.days_waiting > limit),
        "counts": [
            (label, counts.get(value, 0), value)
            for value, label in Proposal.Status.choices
            if value != Proposal.Status.DRAFT
        ],
    }
    return render(request, "appointments/proposal_inbox.html", context)


def proposal_create(request):
    targets = P.proposal_targets_for_user(request.user)
    if not targets:
        return render(request, "appointments/proposal_form.html", {"form": None}, status=403)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        targets=targets,
        user=request.user,
        person_token=request.GET.get(PERSON_PARAM),
    )
    existing = None
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = services.do_create_proposal(
                    user=request.user,
                    actor=form.cleaned_data["actor"],
                    data=form.proposal_data(),
                    files=form.uploads(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
                existing = _existing_person(exc, reverse("appointments:proposal_create"), request.user)
            else:
                messages.success(request, _("Usulan disimpan sebagai draf. Periksa lalu ajukan."))
                _twins_warning(request, proposal)
                return redirect("appointments:proposal_detail", pk=proposal.pk)
        return render(
            request, "appointments/proposal_form.html", _form_context(request, form, existing=existing), status=400
        )
    return render(request, "appointments/proposal_form.html", _form_context(request, form))


def _get(request, pk, action=VIEW):
    return get_for_user_or_404(_proposals(), request.user, pk, action)


def proposal_edit(request, pk):
    proposal = _get(request, pk, CHANGE)
    if not proposal.is_editable:
        messages.error(request, _("Usulan yang sudah diajukan atau diputuskan tidak dapat diubah."))
        return redirect("appointments:proposal_detail", pk=proposal.pk)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        targets=[],
        user=request.user,
        proposal=proposal,
        initial=ProposalForm.initial_from(proposal),
        person_token=request.GET.get(PERSON_PARAM),
    )
    existing = None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_update_proposal(
                    user=request.user, proposal=proposal, data=form.proposal_data(), files=form.uploads()
                )
            except ValidationError as exc:
                add_errors(form, exc)
                existing = _existing_person(
                    exc, reverse("appointments:proposal_edit", args=[proposal.pk]), request.user
                )
            else:
                messages.success(request, _("Usulan diperbarui."))
                _twins_warning(request, proposal)
                return redirect("appointments:proposal_detail", pk=proposal.pk)
        context = _form_context(request, form, proposal, existing)
        return render(request, "appointments/proposal_form.html", context, status=400)
    return render(request, "appointments/proposal_form.html", _form_context(request, form, proposal))


# The keys of Proposal.snapshot(), as a person reads them.
VERSION_LABELS = {
    "actor": _l("Pelaku"),
    "position": _l("Jabatan"),
    "person": _l("Orang"),
    "nip": _l("NIP"),
    "email": _l("Email"),
    "phone": _l("Telepon"),
    "agency": _l("Instansi"),
    "mode": _l("Status jabatan"),
    "start_date": _l("Mulai"),
    "end_date": _l("Selesai"),
    "reason": _l("Alasan usulan"),
}


def _labelled_versions(proposal):
    versions = list(proposal.versions.select_related("submitted_by").order_by("-number"))
    for v in versions:
        v.rows = [(label, v.data.get(key)) for key, label in VERSION_LABELS.items()]
    return versions


def _history(proposal, decree):
    """The proposal's trail with its decree's and its membership's: every
    state change of the appointment on one page, in sentences."""
    return history_for(proposal, decree, proposal.membership, limit=200)


def _same_person(request, proposal, can_change):
    """An undecided proposal for a new person who has an account already, or
    who is in other undecided proposals: what the page warns about."""
    if proposal.user_id is not None or proposal.status not in validation.OPEN_STATUSES:
        return None
    account = validation.existing_account(proposal)
    twins = list(validation.open_twins(proposal).values_list("pk", flat=True))
    if account is None and not twins:
        return None
    visible = _proposals().for_user(request.user).filter(pk__in=twins) if twins else []
    visible = list(visible)
    existing = None
    if account is not None:
        usable = can_change and account.is_active and account.pk != request.user.pk
        link = (
            f"{reverse('appointments:proposal_edit', args=[proposal.pk])}?{_person_query(account)}" if usable else None
        )
        existing = {"account": account, "url": link, "message": validation.account_message(proposal, account)}
    return {"existing": existing, "twins": visible, "hidden_twins": len(twins) - len(visible)}


def _detail_context(request, proposal, approval_form=None, return_form=None, reject_form=None):
    can_approve = proposal.status == Proposal.Status.SUBMITTED and user_may(request.user, proposal, P.APPROVE)
    can_change = proposal.is_editable and user_may(request.user, proposal, CHANGE)
    decree = Decree.objects.filter(proposal=proposal).first()
    return {
        "decree_document": document_of(decree) if decree is not None else None,
        "proposal": proposal,
        "same_person": _same_person(request, proposal, can_change),
        "can_change": can_change,
        "can_approve": can_approve,
        "approval_form": approval_form or (ApprovalForm(proposal=proposal) if can_approve else None),
        "return_form": return_form or DecisionForm(prefix="return"),
        "reject_form": reject_form or DecisionForm(prefix="reject"),
        "decree": decree,
        "needs_activation": proposal.status == Proposal.Status.APPROVED and services.needs_activation(proposal),
        "attachments": proposal.attachments.select_related("uploaded_by"),
        "versions": _labelled_versions(proposal),
        "history": _history(proposal, decree),
        "days_waiting": _waiting_days([proposal], WorkingCalendar())[0].days_waiting,
        "predecessor": head_in_post(proposal.actor, proposal.position, proposal.mode, proposal.start_date)
        if proposal.status == Proposal.Status.SUBMITTED and not proposal.replaces_id
        else proposal.replaces,
    }


@require_safe
def proposal_detail(request, pk):
    proposal = _get(request, pk)
    return render(request, "appointments/proposal_detail.html", _detail_context(request, proposal))


@require_POST
def proposal_submit(request, pk):
    proposal = _get(request, pk, CHANGE)
    try:
        services.do_submit_proposal(user=request.user, proposal=proposal)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return render(request, "appointments/proposal_detail.html", _detail_context(request, proposal), status=400)
    messages.success(request, _("Usulan diajukan kepada %(approver)s.") % {"approver": proposal.approver_actor})
    return redirect("appointments:proposal_detail", pk=proposal.pk)


@require_POST
def proposal_approve(request, pk):
    proposal = _get(request, pk, P.APPROVE)
    form = ApprovalForm(request.POST, request.FILES, proposal=proposal)
    if form.is_valid():
        try:
            services.do_approve_proposal(
                user=request.user,
                proposal=proposal,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                decree=form.decree_data(),
                scan=form.cleaned_data.get("scan"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Usulan disetujui; keanggotaan dicatat untuk masa jabatannya."))
            return redirect("appointments:proposal_detail", pk=proposal.pk)
    return render(
        request, "appointments/proposal_detail.html", _detail_context(request, proposal, approval_form=form), status=400
    )


def _decision(request, pk, service, prefix, done_message):
    proposal = _get(request, pk, P.APPROVE)
    form = DecisionForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(user=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done_message)
            return redirect("appointments:proposal_detail", pk=proposal.pk)
    context = _detail_context(request, proposal, **{f"{prefix}_form": form})
    return render(request, "appointments/proposal_detail.html", context, status=400)


@require_POST
def proposal_return(request, pk):
    return _decision(request, pk, services.do_return_proposal, "return", _("Usulan dikembalikan kepada pengusul."))


@require_POST
def proposal_reject(request, pk):
    return _decision(request, pk, services.do_reject_proposal, "reject", _("Usulan ditolak."))


@require_POST
def resend_activation(request, pk):
    proposal = _get(request, pk)
    try:
        person = services.do_resend_activation(user=request.user, proposal=proposal)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Tautan dikirim ulang ke %(email)s.") % {"email": person.email})
    return redirect("appointments:proposal_detail", pk=proposal.pk)


@require_safe
def attachment_download(request, pk, attachment_pk):
    proposal = _get(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    return attachment_response(attachment.file, attachment.name, attachment.content_type)


def _decree_of(request, pk):
    proposal = _get(request, pk)
    decree = Decree.objects.filter(proposal=proposal).select_related("created_by", "actor__province").first()
    if decree is None:
        raise Http404
    decree.proposal = proposal
    return proposal, decree


@require_safe
def decree_print(request, pk):
    proposal, decree = _decree_of(request, pk)
    return render(
        request,
        "appointments/decree_print.html",
        {"proposal": proposal, "decree": decree, "history": history_for(decree)},
    )


@require_safe
def decree_pdf(request, pk):
    """The decree's issued record (PDF): the stored bytes its document
    hashes, issued now for a decree that has none yet (recorded before
    documents existed, or while the PDF's font was missing)."""
    _proposal, decree = _decree_of(request, pk)
    try:
        document = issued.issue_decree(decree)
    except (ExportUnavailable, SigningUnavailable) as exc:
        return export_unavailable(request, exc)
    return attachment_response(document.file, f"{issued.filename(decree)}.pdf", "application/pdf")


@require_safe
def decree_scan(request, pk):
    _proposal, decree = _decree_of(request, pk)
    return attachment_response(decree.scan, decree.scan_name, decree.scan_content_type)


@require_safe
def team(request, pk):
    """Current members with their decree and term, acting officials, and past
    members of one actor. Visible to whoever may see the actor's page."""
    actor = get_for_user_or_404(Actor.objects.select_related("kind", "province"), request.user, pk)
    today = clock.local_today(actor.province)
    memberships = (
        Membership.objects.filter(actor=actor)
        .select_related("user", "position", "decree", "acting_for", "predecessor__user")
        .order_by("position__order", "-start_date", "id")
    )
    current, acting, future, past = [], [], [], []
    for m in memberships:
        if m.is_current(today):
            (acting if m.is_acting else current).append(m)
        elif m.start_date > today:
            future.append(m)
        else:
            past.append(m)
    past.sort(key=lambda m: m.end_date, reverse=True)
    context = {"actor": actor, "today": today, "current": current, "acting": acting, "future": future, "past": past}
    return render(request, "appointments/team.html", context)


@method_decorator(login_not_required, name="dispatch")
class AccountActivateView(auth_views.PasswordResetConfirmView):
    """The one-time link sent to a newly appointed member: set a password,
    then log in. The token dies once the password is set."""

    template_name = "registration/account_activate.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Kata sandi dibuat. Silakan masuk dengan nama pengguna Anda."))
        return response


def waiting_for_decision(user):
    """Proposals waiting for this user's decision (the nav badge, the home page)."""
    return Proposal.objects.for_user(user, P.APPROVE).filter(status=Proposal.Status.SUBMITTED)

"""The duty ledger's pages: the actors one may see with their quarter's
share (/buku-tugas/), one actor's ledger for a quarter, and the writes: an
ongoing duty's account, an incidental duty's occurrence, the declaration
"tidak ada kejadian". Who sees what: ledger.permissions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import clock
from core.audit_views import history_for
from core.files import attachment_response
from core.forms import add_errors
from core.periods import period_label
from duties.models import Duty

from . import forms, permissions, services, standing
from .models import LedgerAttachment

# Quarters outside these years are not a ledger (a 404, or a 400 on the index's filter).
FIRST_YEAR = 2000
YEARS_AHEAD = 10


def _quarter_or_none(key, today):
    try:
        period = standing.quarter(key)
    except (ValueError, OverflowError):
        return None
    if not (FIRST_YEAR <= period.start.year <= today.year + YEARS_AHEAD):
        return None
    return period


def _quarter_or_404(key, today):
    period = _quarter_or_none(key, today)
    if period is None:
        raise Http404
    return period


def _neighbours(period, today):
    """(previous, next) quarters, None past the years a ledger covers."""
    found = []
    for step in (period.previous, period.next):
        try:
            other = step()
        except (ValueError, OverflowError):
            other = None
        if other is not None and not (FIRST_YEAR <= other.start.year <= today.year + YEARS_AHEAD):
            other = None
        found.append(other)
    return found


def _ledger_url(actor, period):
    return reverse("ledger:ledger", args=[actor.pk, period.key])


@require_safe
def index(request):
    """The actors whose ledger the user may read, each with the quarter's
    share of duties accounted for and whether its account is overdue."""
    user = request.user
    today = clock.request_today(request)
    actors = list(
        permissions.visible_actors(user).select_related("province", "kind").order_by("province__code", "kind__order")
    )
    key = request.GET.get("periode", "")
    # The actors the user writes for, in one query (never one per actor).
    writable = set(permissions.own_actors(user).values_list("pk", flat=True)) if actors else set()
    if key:
        period = _quarter_or_none(key, today)
        if period is None:
            context = {"bad_period": key, "actors": actors}
            return render(request, "ledger/index.html", context, status=400)
    else:
        own_province = next((a.province for a in actors if a.pk in writable), None)
        province = own_province or (actors[0].province if actors and not permissions.is_national(user) else None)
        period = standing.current_quarter(province)
    # Counts only: no evidence words for a page that shows none.
    ledgers = standing.build(actors, period, evidence=False) if actors else {}
    rows = [
        {
            "actor": actor,
            "ledger": ledgers[actor.pk],
            "own": actor.pk in writable,
            "url": _ledger_url(actor, period),
        }
        for actor in actors
    ]
    previous, following = _neighbours(period, today)
    return render(
        request,
        "ledger/index.html",
        {
            "rows": rows,
            "period": period,
            "period_name": period_label(period.key),
            "previous": previous,
            "following": following,
            "national": permissions.is_national(user),
        },
    )


@require_safe
def ledger(request, actor_pk, period):
    user = request.user
    actor = permissions.actor_for_view_or_404(user, actor_pk)
    today = clock.local_today(actor.province)
    period = _quarter_or_404(period, today)
    book = standing.build([actor], period, detail=True)[actor.pk]
    writer = permissions.may_write(user, actor) and period.start <= today
    accounts = [row.account for row in book.rows if row.account is not None]
    occurrences = [o for row in book.rows for o in row.occurrences]
    previous, following = _neighbours(period, today)
    rows = []
    for row in book.rows:
        item = {"row": row, "write_url": "", "occurrence_url": "", "declare_url": ""}
        if writer and row.source == standing.Source.ACCOUNT:
            item["write_url"] = reverse("ledger:account", args=[actor.pk, period.key, row.duty.pk])
        elif writer and row.source in services.INCIDENTAL_SOURCES:
            item["occurrence_url"] = reverse("ledger:occurrence", args=[actor.pk, period.key, row.duty.pk])
            if row.standing == standing.Standing.NOT_YET and not row.occurrences:
                item["declare_url"] = reverse("ledger:declare_none", args=[actor.pk, period.key, row.duty.pk])
        rows.append(item)
    return render(
        request,
        "ledger/ledger.html",
        {
            "actor": actor,
            "book": book,
            "rows": rows,
            "period": period,
            "period_name": period_label(period.key),
            "previous": previous,
            "following": following,
            "writer": writer,
            "province": actor.province,
            "history": history_for(*accounts, *occurrences),
        },
    )


def _write_target(request, actor_pk, period, duty_pk, sources):
    """(actor, period, duty) of a write: 404 for an actor one may not see, a
    malformed quarter, a duty not of the actor's kind or not written this
    way; 403 for a ledger one may only read."""
    actor = permissions.actor_for_write_or_404(request.user, actor_pk)
    today = clock.local_today(actor.province)
    period = _quarter_or_404(period, today)
    duty = get_object_or_404(Duty.objects.select_related("kind"), pk=duty_pk, kind=actor.kind_id)
    if services.duty_source(duty) not in sources:
        raise Http404
    return actor, period, duty


def _context(actor, period, duty, form, **extra):
    return {
        "actor": actor,
        "period": period,
        "period_name": period_label(period.key),
        "duty": duty,
        "form": form,
        "ledger_url": _ledger_url(actor, period),
        "province": actor.province,
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def account(request, actor_pk, period, duty_pk):
    actor, period, duty = _write_target(request, actor_pk, period, duty_pk, {standing.Source.ACCOUNT})
    existing = actor.duty_accounts.filter(duty=duty, period=period.key).prefetch_related("attachments").first()
    if request.method == "POST":
        form = forms.AccountForm(request.POST, request.FILES, actor=actor, period=period)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.do_save_account(
                    user=request.user,
                    actor=actor,
                    duty=duty,
                    period=period,
                    text=d["text"],
                    tasks=d["tasks"],
                    meetings=d["meetings"],
                    documents=d["documents"],
                    upload=d.get("file"),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Uraian %(ref)s disimpan.") % {"ref": duty.ref})
                return redirect(_ledger_url(actor, period))
    else:
        initial = {}
        if existing is not None:
            initial = {
                "text": existing.text,
                "tasks": list(existing.tasks.values_list("pk", flat=True)),
                "meetings": list(existing.meetings.values_list("pk", flat=True)),
                "documents": list(existing.documents.values_list("pk", flat=True)),
            }
        form = forms.AccountForm(initial=initial, actor=actor, period=period)
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/account.html", _context(actor, period, duty, form, existing=existing), status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def occurrence(request, actor_pk, period, duty_pk):
    actor, period, duty = _write_target(request, actor_pk, period, duty_pk, services.INCIDENTAL_SOURCES)
    if request.method == "POST":
        form = forms.OccurrenceForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.do_record_occurrence(
                    user=request.user,
                    actor=actor,
                    duty=duty,
                    period=period,
                    occurred_on=d["occurred_on"],
                    what=d["what"],
                    action=d["action"],
                    upload=d.get("file"),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Kejadian %(ref)s dicatat.") % {"ref": duty.ref})
                return redirect(_ledger_url(actor, period))
    else:
        form = forms.OccurrenceForm()
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/occurrence.html", _context(actor, period, duty, form), status=status)


@require_POST
def declare_none(request, actor_pk, period, duty_pk):
    actor, period, duty = _write_target(request, actor_pk, period, duty_pk, services.INCIDENTAL_SOURCES)
    try:
        services.do_declare_no_occurrence(user=request.user, actor=actor, duty=duty, period=period)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(ref)s: dinyatakan tidak ada kejadian pada %(quarter)s.")
            % {"ref": duty.ref, "quarter": period_label(period.key)},
        )
    return redirect(_ledger_url(actor, period))


@require_safe
def attachment(request, pk):
    item = get_object_or_404(LedgerAttachment.objects.select_related("actor"), pk=pk)
    if not permissions.may_view(request.user, item.actor):
        raise Http404
    return attachment_response(item.file, item.name, item.content_type)

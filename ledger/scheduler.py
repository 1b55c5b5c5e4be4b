"""The ledger's step of the reconcile (home.reconcile.run_schedule): the
quarter's written duties (ongoing accounts, incidental occurrences or the
declaration "tidak ada kejadian", Gubernur 2's declaration when no decree)
are reminded and flagged overdue like a report.

- Reminders: 7, 3 and 1 working days before the accounts' due date
  (ledger.standing Ledger.due_date: the quarterly report's deadline), to the
  actor's group, while a written duty of the quarter is still silent
  ("belum"); a late run sends the level it is at.
- Overdue: after the due date, with a written duty still silent, a notice to
  the actor's group and to its supervisor (whom it reports to, else whom it is
  responsible to: PjOProv and KMW -> TK Provinsi; TK Provinsi and TKPKD -> the
  Governor's office), once per actor and quarter.

Idempotent through the outbox keys (unique per recipient and key:
"ledger-reminder:<actor>:<quarter>:<level>", "ledger-overdue:<actor>:<quarter>");
in bulk: the ledgers of every actor concerned in one standing.build per
quarter (a fixed number of queries), the members in one query, the
notifications in one notify_many."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from actors.models import Actor, ActorKind, ActorRelation
from core import clock
from core.bulk import group_members_by_group
from core.notifications import Message, notify_many
from core.periods import QUARTER, period_containing, period_label
from core.templatetags.fmt import tanggal
from duties.calendar import WorkingCalendar
from reports.scheduler import REMINDER_HORIZON, reminder_level

from . import standing

log = logging.getLogger(__name__)

# The relations that name whom an actor answers to, the first found wins.
SUPERVISION = (ActorRelation.Relation.REPORTS_TO, ActorRelation.Relation.RESPONSIBLE_TO)


def supervisor_kinds():
    """{actor kind id: the provincial kind it answers to}, from the relations
    data (one query), as reports.permissions.reviewer_kind_for decides."""
    found = {}
    relations = ActorRelation.objects.filter(
        relation__in=SUPERVISION, target__level=ActorKind.Level.PROVINCIAL
    ).values_list("source_id", "relation", "target_id", "order")
    rank = {relation: i for i, relation in enumerate(SUPERVISION)}
    for source_id, _relation, target_id, _order in sorted(relations, key=lambda r: (rank[r[1]], r[3])):
        found.setdefault(source_id, target_id)
    return found


def _previous(period):
    return period_containing(QUARTER, period.start - datetime.timedelta(days=1))


def _candidate_quarters(on):
    """The quarters whose accounts may be reminded or overdue on any
    province's today: the current one (its due date may be close to its
    end) and the one before (due just after it ended)."""
    earliest, latest = (on, on) if on is not None else clock.today_span()
    quarters = {}
    for day in (earliest, latest):
        current = period_containing(QUARTER, day)
        for period in (current, _previous(current)):
            quarters[period.key] = period
    # LEDGER_FIRST_QUARTER: nothing is reminded or flagged for a quarter
    # before the one a deployment starts keeping the ledger in (else the
    # first reconcile would flag every actor for the quarter just past).
    first = settings.LEDGER_FIRST_QUARTER
    return sorted(
        (p for p in quarters.values() if not first or p.start >= standing.quarter(first).start),
        key=lambda p: p.start,
    )


def silent_duties(ledger):
    """The rows of `ledger` the actor writes and has not accounted for."""
    return [row for row in ledger.rows if row.written and not row.accounted]


def remind_ledgers(on=None, calendar=None):
    """Remind and flag the quarters' accounts. Returns (actors reminded,
    actors flagged overdue): how many were told something new by this run."""
    calendar = calendar or WorkingCalendar()
    actors = list(Actor.objects.provincial().select_related("province", "kind"))
    if not actors:
        return 0, 0
    deadline_days = standing.account_deadline_days()
    supervisors = supervisor_kinds()
    by_kind_province = {(a.kind_id, a.province_id): a for a in sorted(actors, key=lambda a: -a.pk)}

    reminders = []  # (actor, period, level, ledger)
    overdue = []  # (actor, period, ledger)
    for period in _candidate_quarters(on):
        wanted = {}
        for actor in actors:
            today = clock.local_today(actor.province, on)
            if today < period.start:
                continue
            due = standing.due_date_of(period, actor.province, deadline_days, calendar)
            if today > due:
                # Overdue notices only for the quarter just before today's.
                if period.key == _previous(period_containing(QUARTER, today)).key:
                    wanted[actor.pk] = ("overdue", today)
            elif today < due and due - today <= REMINDER_HORIZON:
                level = reminder_level(calendar.working_days_between(today, due, actor.province))
                if level is not None:
                    wanted[actor.pk] = (level, today)
        if not wanted:
            continue
        chosen = [a for a in actors if a.pk in wanted]
        for actor_pk, ledger in standing.build(chosen, period).items():
            if not silent_duties(ledger):
                continue
            what, _today = wanted[actor_pk]
            if what == "overdue":
                overdue.append((ledger.actor, period, ledger))
            else:
                reminders.append((ledger.actor, period, what, ledger))

    if not reminders and not overdue:
        return 0, 0

    groups = {actor.group_id for actor, *_rest in reminders + overdue}
    supervisor_of = {}
    for actor, _period, _ledger in overdue:
        kind_id = supervisors.get(actor.kind_id)
        boss = by_kind_province.get((kind_id, actor.province_id)) if kind_id else None
        if boss is not None and boss.pk != actor.pk:
            supervisor_of[actor.pk] = boss
            groups.add(boss.group_id)
    members = group_members_by_group(groups)

    messages = []
    owners = []  # the actor each message is about, to count actors told
    with translation.override("id"):
        for actor, period, level, ledger in reminders:
            silent = silent_duties(ledger)
            messages.append(
                Message(
                    members.get(actor.group_id, []),
                    key=f"ledger-reminder:{actor.pk}:{period.key}:{level}",
                    subject=_("Pengingat: buku tugas %(period)s jatuh tempo dalam %(n)s hari kerja")
                    % {"period": period_label(period.key), "n": level},
                    body=_(
                        "Tenggat uraian dan catatan buku tugas %(actor)s untuk %(period)s: %(due)s. "
                        "Belum diisi: %(refs)s."
                    )
                    % {
                        "actor": actor.name,
                        "period": period_label(period.key),
                        "due": tanggal(ledger.due_date),
                        "refs": ", ".join(row.duty.ref for row in silent),
                    },
                    url=_ledger_url(actor, period),
                )
            )
            owners.append(("reminder", actor.pk))
        for actor, period, ledger in overdue:
            silent = silent_duties(ledger)
            subject = _("Buku tugas terlambat: %(actor)s, %(period)s") % {
                "actor": actor.name,
                "period": period_label(period.key),
            }
            body = _("Tenggat %(due)s sudah lewat dan %(n)s tugas pokok belum diuraikan atau dinyatakan: %(refs)s.") % {
                "due": tanggal(ledger.due_date),
                "n": len(silent),
                "refs": ", ".join(row.duty.ref for row in silent),
            }
            key = f"ledger-overdue:{actor.pk}:{period.key}"
            url = _ledger_url(actor, period)
            messages.append(Message(members.get(actor.group_id, []), key=key, subject=subject, body=body, url=url))
            owners.append(("overdue", actor.pk))
            boss = supervisor_of.get(actor.pk)
            if boss is not None:
                # The supervisor reads the ledger (ledger.permissions): the same page.
                messages.append(Message(members.get(boss.group_id, []), key=key, subject=subject, body=body, url=url))
                owners.append(("overdue", actor.pk))
    with transaction.atomic():
        counts = notify_many(messages)
    told = {owner for owner, count in zip(owners, counts, strict=True) if count}
    reminded = sum(1 for what, _pk in told if what == "reminder")
    flagged = sum(1 for what, _pk in told if what == "overdue")
    log.info("ledger reminders=%s overdue=%s", reminded, flagged)
    return reminded, flagged


def _ledger_url(actor, period):
    return reverse("ledger:ledger", kwargs={"actor_pk": actor.pk, "period": period.key})

"""The project-wide reconcile: what should exist by a given date, created
when missing, one step per app.

`run_schedule(on)` is idempotent: running it twice, from two beat processes,
or days late for a back-fill creates nothing twice. Each step is backed by a
unique constraint (duties.scheduler, meetings.scheduler, reports.scheduler,
actors.services for memberships, appointments.services for appointments) or
an outbox key (ledger.scheduler: the duty ledger's reminders and overdue notices).
"""

import logging

from actors.services import sync_actor_groups
from appointments.services import hand_over_started_terms, remind_terms_ending, remind_waiting_proposals
from core.notifications import deliver_pending
from duties.calendar import WorkingCalendar
from duties.scheduler import create_scheduled_tasks, mark_overdue
from ledger.scheduler import remind_ledgers
from meetings import scheduler as meetings_scheduler
from reports.scheduler import create_report_slots, mark_reports_overdue, remind_returned_reports, send_report_reminders

log = logging.getLogger(__name__)


def run_schedule(on=None):
    """Reconcile everything for the date `on` (default: today in each
    province). Returns a dict of counts for logs and the command's output."""
    calendar = WorkingCalendar()
    joins, leaves = sync_actor_groups(on)
    result = {
        "group_joins": joins,
        "group_leaves": leaves,
        "tasks_created": create_scheduled_tasks(on, calendar),
        "tasks_overdue": mark_overdue(on),
        "handovers": hand_over_started_terms(on),
        "proposal_reminders": remind_waiting_proposals(on, calendar),
        "term_end_reminders": remind_terms_ending(on),
        "reports_created": create_report_slots(on, calendar),
        "report_reminders": send_report_reminders(on, calendar),
        "reports_overdue": mark_reports_overdue(on),
        "returned_report_reminders": remind_returned_reports(on, calendar),
        "meetings_created": meetings_scheduler.create_meetings(on, calendar),
        "meeting_reminders": meetings_scheduler.send_reminders(on),
        "meeting_duties_completed": meetings_scheduler.complete_held_meeting_duties(),
    }
    # After the tasks, meetings and reports of the day: the ledger reads them.
    result["ledger_reminders"], result["ledgers_overdue"] = remind_ledgers(on, calendar)
    result["emails_sent"] = deliver_pending()
    log.info("run_schedule on=%s %s", on, result)
    return result

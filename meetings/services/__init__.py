"""Every write to meetings. Each `do_*` function is atomic, checks the
permission against the meeting (meetings.permissions), writes the audit trail
and leaves notifications in the outbox (core.notifications), which delivers
them after commit or, when the broker is down, from the reconcile.

A refused call raises PermissionDenied (403) or ValidationError (Indonesian
message) before anything is written, so the database stays as it was.

`meetings.services.<name>` stays the import path for all of them:
- invitations: who is invited and what they are told;
- meetings: the meeting's life (update, postpone, cancel, hold) and its duty;
- agenda_attendance, minutes, follow_ups, attachments: what a meeting records;
- calendar_feed: a person's secret feed URL;
- series_plan, series: what a series change would move, and making it;
- _common: the helpers they share.
"""

from ._common import _url as _url  # meetings.scheduler: the meeting's URL in bulk invitations
from ._common import _when as _when  # meetings.scheduler: the reminder's subject
from .agenda_attendance import do_add_agenda_item, do_record_attendance
from .attachments import do_add_attachment
from .calendar_feed import do_reset_calendar_feed
from .follow_ups import do_add_follow_up
from .invitations import (
    actor_members,
    default_chair,
    eligible_attendees,
    invitable_actors,
    invitation_body,
    invitation_message,
    invited_actor_ids,
    notify_invitees,
    province_members,
    recipients,
    send_invitations,
)
from .meetings import (
    complete_meeting_duty,
    do_cancel_meeting,
    do_hold_meeting,
    do_postpone_meeting,
    do_update_meeting,
    task_period_key,
)
from .minutes import do_approve_minutes, do_save_minutes, do_start_minutes_correction, latest_minutes, minutes_locked
from .series import do_change_series, do_save_series, series_invitable_actors, series_version
from .series_plan import SeriesPlan, SeriesSchedule, plan_series_change, series_notice_window_end

__all__ = [
    "SeriesPlan",
    "SeriesSchedule",
    "actor_members",
    "complete_meeting_duty",
    "default_chair",
    "do_add_agenda_item",
    "do_add_attachment",
    "do_add_follow_up",
    "do_approve_minutes",
    "do_cancel_meeting",
    "do_change_series",
    "do_hold_meeting",
    "do_postpone_meeting",
    "do_record_attendance",
    "do_reset_calendar_feed",
    "do_save_minutes",
    "do_save_series",
    "do_start_minutes_correction",
    "do_update_meeting",
    "eligible_attendees",
    "invitable_actors",
    "invitation_body",
    "invitation_message",
    "invited_actor_ids",
    "latest_minutes",
    "minutes_locked",
    "notify_invitees",
    "plan_series_change",
    "province_members",
    "recipients",
    "send_invitations",
    "series_invitable_actors",
    "series_notice_window_end",
    "series_version",
    "task_period_key",
]

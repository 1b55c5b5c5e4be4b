"""A person's private iCalendar feed (RFC 5545) for Google Calendar, Outlook
and phones: their meetings, in each province's own time zone (with the
VTIMEZONE definitions), and the due dates of their open tasks as all-day events."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from duties.models import shorten

from .models import Meeting

PAST_DAYS = 120
FUTURE_DAYS = 400
ICAL_STATUS = {
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.POSTPONED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def _host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "pnpm-prov"


def build_feed(meetings, tasks, name):
    """`meetings` and `tasks` are already limited to what the person may see."""
    cal = Calendar()
    cal.add("prodid", "-//PNPM-MP Provinsi//pnpm-prov//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    now = timezone.now()
    host = _host()
    for meeting in meetings:
        tz = meeting.actor.province.tzinfo
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", meeting.updated_at)
        event.add("sequence", meeting.sequence)
        event.add("dtstart", meeting.starts_at.astimezone(tz))
        event.add("dtend", meeting.ends_at.astimezone(tz))
        event.add("summary", f"{meeting.label} {meeting.actor.name}")
        if meeting.location:
            event.add("location", meeting.location)
        event.add("status", ICAL_STATUS[meeting.status])
        event.add("url", settings.SITE_URL + reverse("meetings:meeting_detail", args=[meeting.pk]))
        description = str(meeting.status_label(now))  # as the meeting's page says it
        if meeting.status_reason:
            description += f": {meeting.status_reason}"
        event.add("description", description)
        cal.add_component(event)
    for task in tasks:
        event = Event()
        event.add("uid", f"task-{task.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + datetime.timedelta(days=1))
        event.add("summary", _("Tenggat: %(task)s") % {"task": shorten(task.label, 150)})
        event.add("transp", "TRANSPARENT")
        event.add("url", settings.SITE_URL + reverse("duties:task_detail", args=[task.pk]))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_window(today):
    return today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=FUTURE_DAYS)


def open_tasks_due_between(tasks, start, end):
    return tasks.open().filter(due_date__gte=start, due_date__lte=end)

"""{% load tasks %} {{ task|status_pill:today }}: the status pill of a task,
a report ({{ report|status_pill:today }}) or a meeting
({{ meeting|status_pill:now }}). The words and colours come from the model's
own status_pill(), the one place each kind of thing words its states (lists,
home panels, the national matrix and the iCalendar feed read the same)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from core import clock

from ..models import Task

register = template.Library()


@register.filter
def status_pill(obj, moment):
    if isinstance(obj, Task) and isinstance(moment, datetime.datetime):
        # A task on a page that knows the moment (a meeting's `now`): late or
        # not by the date it is then in the task's province.
        moment = timezone.localtime(moment, clock.zone_of(obj.actor.province)).date()
    css, label = obj.status_pill(moment)
    return format_html('<span class="pill{}">{}</span>', f" {css}" if css else "", label)

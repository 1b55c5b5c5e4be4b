"""{% load tasks %} {{ task|status_pill:today }}: the status pill of a task."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def status_pill(task, today):
    css, label = task.status_pill(today)
    return format_html('<span class="pill{}">{}</span>', f" {css}" if css else "", label)

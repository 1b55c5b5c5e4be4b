"""{% load tasks %} {{ task|status_pill:today }}: the status pill of a task."""

from django import template

from core.html import quick_format_html

register = template.Library()


@register.filter
def status_pill(task, today):
    css, label = task.status_pill(today)
    return quick_format_html('<span class="pill{}">{}</span>', f" {css}" if css else "", label)

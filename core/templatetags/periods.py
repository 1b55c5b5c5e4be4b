from django import template

from core.periods import period_label

register = template.Library()


@register.filter
def periode(key):
    """{{ task.period|periode }} -> 'Triwulan III 2026', 'November 2026'."""
    return period_label(key)

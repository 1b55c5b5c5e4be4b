import datetime

from celery import shared_task

from .reconcile import run_schedule


@shared_task(acks_late=True)
def run_schedule_task(on=None):
    """Beat's tick. `on` is an ISO date for back-fills; default today."""
    return run_schedule(datetime.date.fromisoformat(on) if on else None)

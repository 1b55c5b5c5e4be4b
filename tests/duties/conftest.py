import datetime

import pytest

from duties.models import Task
from home.reconcile import run_schedule

# A Monday in the middle of a month with no holiday nearby.
DAY = datetime.date(2026, 10, 12)


@pytest.fixture
def scheduled(db):
    """Run the reconcile once for DAY: every province gets its tasks."""
    run_schedule(on=DAY)
    return DAY


def scheduled_task(kind, province="33", number=None):
    tasks = Task.objects.filter(actor__kind__code=kind, actor__province__code=province, origin=Task.Origin.SCHEDULE)
    if number is not None:
        tasks = tasks.filter(duty__number=number)
    return tasks.select_related("actor", "duty").order_by("duty__number").first()


@pytest.fixture
def pjoprov_task(scheduled):
    return scheduled_task("pjoprov", "33", number=5)


@pytest.fixture
def diy_task(scheduled):
    return scheduled_task("pjoprov", "34", number=5)


@pytest.fixture
def kmw_task(scheduled):
    return scheduled_task("kmw", "33")

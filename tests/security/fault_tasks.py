"""A task for the worker-killed test: the real reconcile, then a stall long
enough to be killed in before the message is acknowledged (acks_late)."""

import datetime
import json
import time
from pathlib import Path

from celery import shared_task

from home.reconcile import run_schedule


@shared_task(name="tests.reconcile_then_stall", acks_late=True)
def reconcile_then_stall(on, marker_dir):
    result = run_schedule(datetime.date.fromisoformat(on))
    folder = Path(marker_dir)
    run = len(list(folder.glob("run-*.json"))) + 1
    (folder / f"run-{run}.json").write_text(json.dumps(result))
    if run == 1:
        time.sleep(300)  # the test kills the worker here
    return run

"""Running the same work on several database connections at the same moment,
for the tests of races (they need PostgreSQL: SQLite serialises writers)."""

import threading

from django.db import connections


def race(work, threads=2, timeout=60):
    """Run `work()` in `threads` threads released together by a barrier, each
    on its own database connections. Returns (results, errors): what each
    call returned, and what each raised (a thread cannot fail the test
    itself, so the test asserts on these)."""
    barrier = threading.Barrier(threads, timeout=30)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout)
    return results, errors

"""Instructions per request, counted by valgrind (cachegrind): a measure of
the application's own CPU work that the machine's noise hardly moves (the
same code gave counts 0.3% apart on a quiet machine and 3% apart while the
test suite ran beside it; wall or CPU time on a shared VM drifts by 20% from
one minute to the next). PostgreSQL's and Redis's work is not counted: they
run in their own processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pnpm_main_load \\
    REDIS_URL=redis://127.0.0.1:6379/3 \\
    .venv/bin/python loadtest/instructions.py [--user load-gubernur] [-n 40] /tugas/ /healthz

Needs the load-test dataset (`make loadtest` builds it) and valgrind
(Debian's package). For each path it runs the app twice under valgrind, in
one process with django.test.Client logged in as the user: 10 warm-up
requests, then 0 or N more; the difference divided by N is the count per
request. The navigation's badges are kept for the whole run (counted once).
Compare two versions of the code by running this in each checkout.
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from run import POSTGRES_SCHEMES, ROOT, app_environment


def child(path, user, count):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=user))
    for _ in range(10):
        response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} as {user}: status {response.status_code}")
    for _ in range(count):
        client.get(path)


def instructions(path, user, count):
    # Under valgrind a run can outlast the badges' 30 s; recounting them
    # midway would make the count depend on the machine's speed.
    env = app_environment(os.environ["DATABASE_URL"], NAV_BADGE_SECONDS="86400")
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, __file__, "--child", "--user", user, "-n", str(count), path,
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode != 0 or not found:
        sys.exit(f"valgrind failed for {path}:\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("paths", nargs="+", help="pages to count, e.g. /tugas/ /healthz")
    parser.add_argument("--user", default="load-gubernur", help="username to log in as (default: load-gubernur)")
    parser.add_argument("-n", type=int, default=40, help="requests counted per path (default: 40)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.paths[0], args.user, args.n)
        return
    if not os.environ.get("DATABASE_URL", "").startswith(POSTGRES_SCHEMES):
        sys.exit("set DATABASE_URL to the load-test database, e.g. postgres://postgres@127.0.0.1:5432/pnpm_main_load")
    for path in args.paths:
        per_request = (instructions(path, args.user, args.n) - instructions(path, args.user, 0)) / args.n
        print(f"{path:<20} {args.user:<16} {per_request / 1e6:8.2f} million instructions per request", flush=True)


if __name__ == "__main__":
    main()

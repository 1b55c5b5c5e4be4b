"""Run the whole suite with the clock moved to another moment.

    pytest --clock 2028-02-29T03:00Z       # a fixed moment, in UTC
    pytest --clock random                  # a moment drawn from a new seed (printed)
    pytest --clock random --clock-seed 42  # the same moment again: replays a failure

The clock starts at that moment when pytest starts and runs on from there
(time-machine, tick=True), in the main process and in every xdist worker.
A test that sets its own clock with time_machine.travel still wins.

Registered by tests/conftest.py; without --clock it does nothing. The moments
CI uses are listed in CI_MOMENTS, each with why it is there; `.ci/run` runs
the suite once for each (see `make test-clock`).
"""

import datetime
import os
import random
import zlib

import pytest

# Moments that have broken date code before, in UTC. Each is (moment, why).
CI_MOMENTS = {
    "leap-day": ("2028-02-29T03:00Z", "a leap day (10.00 WIB)"),
    "new-year-east": (
        "2030-12-31T16:30Z",
        "31 December in UTC and WIB (23.30), already 1 January in WITA (00.30) and WIT (01.30)",
    ),
    "lebaran": ("2027-03-15T03:00Z", "Monday 15 March 2027, 10.00 WIB: a Lebaran cuti bersama day"),
    "after-long-weekend": (
        "2027-01-03T19:00Z",
        "Monday 4 January 2027 after the New Year's Friday and the weekend: 02.00 WIB, "
        "while the server's UTC date is still Sunday",
    ),
}

# Random moments are drawn from these years: far enough ahead to find the
# year-boundary and leap-year mistakes, close enough for the holiday tables.
# Tests may take a date before December 2026 as the past (the suite was
# written then), so no moment comes before it.
RANDOM_FROM = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
RANDOM_TO = datetime.datetime(2040, 12, 31, 23, 59, tzinfo=datetime.UTC)
SEED_VARIABLE = "PNPM_CLOCK_SEED"


def pytest_addoption(parser):
    group = parser.getgroup("moved clock")
    group.addoption(
        "--clock",
        default=None,
        help="start the clock at this UTC moment (2028-02-29T03:00Z), at a named CI moment "
        f"({', '.join(CI_MOMENTS)}), or at a random one ('random')",
    )
    group.addoption("--clock-seed", type=int, default=None, help="with --clock random: the seed to replay")
    group.addoption(
        "--clock-shard",
        default=None,
        metavar="K[-L]/N",
        help="run only the K-th (to L-th) of N shares of the test files (--clock-seed turns the split)",
    )


def moment_from_seed(seed):
    """The random moment for a seed: the same seed gives the same moment on any machine."""
    span = int((RANDOM_TO - RANDOM_FROM).total_seconds())
    return RANDOM_FROM + datetime.timedelta(seconds=random.Random(seed).randrange(span))


def parse_moment(text):
    """'2028-02-29T03:00Z' -> an aware UTC datetime; a moment without a zone is refused."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise pytest.UsageError(f"--clock {text}: give the zone, e.g. {text}Z for UTC")
    return moment.astimezone(datetime.UTC)


def chosen_moment(config):
    """(moment, description) from the options, or None when the clock is not moved."""
    value = config.getoption("clock")
    if not value:
        return None
    if value in CI_MOMENTS:
        text, why = CI_MOMENTS[value]
        return parse_moment(text), f"{value}: {why}"
    if value == "random":
        # The main process draws the seed; xdist workers take it from the
        # environment they inherit, so every worker runs at the same moment.
        seed = config.getoption("clock_seed")
        if seed is None:
            seed = int(os.environ.get(SEED_VARIABLE) or random.SystemRandom().randrange(10**9))
        os.environ[SEED_VARIABLE] = str(seed)
        return moment_from_seed(seed), f"random, seed {seed} (replay: --clock random --clock-seed {seed})"
    return parse_moment(value), value


def pytest_configure(config):
    chosen = chosen_moment(config)
    if chosen is None:
        return
    import time_machine

    moment, description = chosen
    config._moved_clock = (moment, description)
    config._moved_clock_traveller = time_machine.travel(moment, tick=True)
    config._moved_clock_traveller.start()


def shard_of(path, seed, count):
    """Which of `count` shares a test file falls in: stable for a file and a seed."""
    return zlib.crc32(f"{seed or 0}:{path}".encode()) % count


def pytest_collection_modifyitems(config, items):
    """--clock-shard K/N (or K-L/N): keep those shares of the test files
    (whole files, as xdist's --dist loadfile hands them out)."""
    value = config.getoption("clock_shard")
    if not value:
        return
    try:
        shares, n = value.split("/")
        first, _, last = shares.partition("-")
        low, high, n = int(first), int(last or first), int(n)
        if not 1 <= low <= high <= n:
            raise ValueError
    except ValueError:
        raise pytest.UsageError(f"--clock-shard {value}: write K/N or K-L/N with 1 <= K <= L <= N, e.g. 2/4") from None
    seed = config.getoption("clock_seed")
    root = config.rootpath
    kept, dropped = [], []
    for item in items:
        share = shard_of(item.path.relative_to(root), seed, n) + 1
        (kept if low <= share <= high else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_unconfigure(config):
    traveller = getattr(config, "_moved_clock_traveller", None)
    if traveller is not None:
        traveller.stop()


def _describe(config):
    moment, description = config._moved_clock
    shard = config.getoption("clock_shard")
    share = f"; test files of share {shard}, split by seed {config.getoption('clock_seed') or 0}" if shard else ""
    return f"moved clock: started at {moment:%Y-%m-%d %H:%M} UTC ({description}{share})"


def pytest_report_header(config):
    if getattr(config, "_moved_clock", None):
        return _describe(config)


def pytest_terminal_summary(terminalreporter, config):
    if getattr(config, "_moved_clock", None):
        terminalreporter.write_line(_describe(config))

"""Counting the SQL statements a piece of code runs, for tests that hold a
bulk operation to a fixed number of statements."""

import re

INSERT = re.compile(r'^\s*INSERT (?:OR \w+ )?INTO "?(\w+)"?', re.IGNORECASE)


def statements(queries):
    """The statements run (CaptureQueriesContext.captured_queries), counting
    consecutive INSERTs into one table as one: SQLite's backend splits a bulk
    insert into batches of 999 parameters (PostgreSQL's does not), which is the
    database's limit, not the code's."""
    count, last = 0, None
    for query in queries:
        match = INSERT.match(query["sql"])
        table = match.group(1) if match else None
        if table is None or table != last:
            count += 1
        last = table
    return count

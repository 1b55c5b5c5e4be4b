"""The README's configuration table is the one list of settings people read:
every environment variable the settings read is in it, and it renders as
one table (a blank line inside it turns the rows after it into text)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "pnpm_prov" / "settings"
# env.str("NAME", ...), env.int("NAME"), env("NAME"), env.db("NAME")...
READ = re.compile(r"""\benv(?:\.[a-z_]+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def configuration_table():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| variable |"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append(line)
    return table, lines[start + len(table) :]


def test_every_environment_variable_is_in_the_configuration_table():
    read = set()
    for path in SETTINGS.glob("*.py"):
        read |= set(READ.findall(path.read_text(encoding="utf-8")))
    assert {"DATABASE_URL", "SITE_URL", "SECRET_KEY"} <= read  # the pattern finds them
    table, _rest = configuration_table()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", "\n".join(table)))
    assert sorted(read - documented) == []


def test_the_configuration_table_is_one_table():
    table, rest = configuration_table()
    assert len(table) > 10
    # No row of the table after its end (a blank line would have cut it there).
    assert not any(line.startswith("| `") for line in rest)

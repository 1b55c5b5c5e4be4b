"""English is one click away: every Indonesian string has an English
translation, and the committed .mo matches the .po (a fresh machine may lack
GNU gettext, so the compiled catalogue is committed, not built at setup)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def test_every_string_has_an_english_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], "run `make messages` and translate these in locale/en"
    assert fuzzy == [], "review the fuzzy entries in locale/en/LC_MESSAGES/django.po"


def test_the_compiled_catalogue_matches_the_source():
    def table(catalogue):
        return {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in catalogue if e.msgid}

    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    assert table(po) == table(mo), "run `make messages` (compilemessages) and commit django.mo"


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings again in a scratch copy of the project: nothing may
    be missing from the committed catalogue."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed; CI has it")
    root = LOCALE.parents[2]
    scratch = tmp_path / "project"
    shutil.copytree(
        root,
        scratch,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__", "staticfiles"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--ignore=tests/*"],
        cwd=scratch,
        check=True,
        capture_output=True,
        timeout=120,
    )
    extracted = {e.msgid for e in polib.pofile(str(scratch / "locale/en/LC_MESSAGES/django.po")) if e.msgid}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "django.po")) if e.msgid}
    assert extracted - committed == set(), "run `make messages` and translate the new strings"

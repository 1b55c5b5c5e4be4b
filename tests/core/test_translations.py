"""English is one click away: every Indonesian string has an English
translation, and the committed .mo matches the .po (a fresh machine may lack
GNU gettext, so the compiled catalogue is committed, not built at setup)."""

from pathlib import Path

import polib

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

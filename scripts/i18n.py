#!/usr/bin/env python3
"""Refresh the zh_Hans catalogue: extract messages, fill translations, compile the .mo.

usage: python scripts/i18n.py   (with the project's venv; needs GNU gettext's xgettext)

Translations arrive as `msgid<TAB>msgstr` lines in docs/i18n-pending/*.tsv (one file per
topic, so people working in parallel never edit the same file); the .po file stays the
source of truth once a message is in it. Untranslated messages are listed at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "src" / "xiaoneng"
PO = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def pending_translations() -> dict[str, str]:
    table: dict[str, str] = {}
    for tsv in sorted((ROOT / "docs" / "i18n-pending").glob("*.tsv")):
        for line in tsv.read_text(encoding="utf-8").splitlines():
            if "\t" in line and not line.startswith("#"):
                msgid, msgstr = line.split("\t", 1)
                table[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
    return table


def main() -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="xiaoneng.settings")
    env.setdefault("XIAONENG_DATA_DIR", tempfile.mkdtemp(prefix="xiaoneng-i18n-"))
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location",
         "-i", "planimport/*", "-i", "static/*"],
        cwd=APP, env=env, check=True,
    )
    table = pending_translations()
    po = polib.pofile(str(PO))
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        if "fuzzy" in entry.flags:
            # msgmerge's guess from a similar message ("Publicity" → the translation of
            # "Publicity plan"): never ship a guess; the TSV or a person must supply it.
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
            entry.previous_msgid = entry.previous_msgid_plural = None
        if entry.msgid_plural:
            text = table.get(entry.msgid) or table.get(entry.msgid_plural) or entry.msgstr_plural.get(0, "")
            entry.msgstr_plural = {0: text}
            if not text:
                missing.append(entry.msgid)
            continue
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
        if not entry.msgstr:
            missing.append(entry.msgid)
    po.save(str(PO))
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    print(f"{len(po)} messages, {len(missing)} untranslated")
    for msgid in missing:
        print("  untranslated:", msgid.replace("\n", "\\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

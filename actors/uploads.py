"""Where the files of appointment proposals and decrees are stored.

The models are appointments.models (app label `actors`); these two functions
stay in actors because the migration that made those tables
(actors/migrations/0003_appointments.py) names them, and a migration of
actors may import only actors and below."""

import uuid


def proposal_upload_to(instance, filename):
    return f"proposals/{instance.proposal_id}/{uuid.uuid4().hex}/{filename}"


def decree_upload_to(instance, filename):
    return f"decrees/{instance.proposal_id}/{uuid.uuid4().hex}/{filename}"

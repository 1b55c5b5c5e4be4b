"""A PDF dropped on the verification page is hashed as it arrives and never
stored: no memory copy, no temporary file (Django's upload handlers)."""

import hashlib
import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class HashedFile(UploadedFile):
    """What is left of an uploaded file: its name, size, SHA-256 and whether
    it starts like a PDF. Its content is empty."""

    def __init__(self, name, size, sha256, looks_like_pdf):
        super().__init__(file=io.BytesIO(), name=name, content_type="application/pdf", size=size)
        self.sha256 = sha256
        self.looks_like_pdf = looks_like_pdf


class HashingUploadHandler(FileUploadHandler):
    """Hashes each uploaded file chunk by chunk and passes nothing on.
    Stops at settings.VERIFICATION_MAX_UPLOAD (`too_large` is then set)."""

    too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.head = b""
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.VERIFICATION_MAX_UPLOAD:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        if len(self.head) < 5:
            self.head = (self.head + raw_data)[:5]
        self.digest.update(raw_data)
        return None  # nothing for a later handler: the bytes are not kept

    def file_complete(self, file_size):
        return HashedFile(self.file_name, file_size, self.digest.hexdigest(), self.head == b"%PDF-")

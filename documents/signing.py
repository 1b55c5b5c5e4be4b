"""The PAdES signature of issued PDFs (pyHanko), with the signing
certificate of the document's province: a PKCS#12 file named
`<province code>.p12` in settings.DOCUMENT_SIGNING_DIR, opened with that
province's password from settings.DOCUMENT_SIGNING_PASSWORDS or, failing
that, settings.DOCUMENT_SIGNING_PASSWORD. `make demo` makes a demo CA and a
certificate per province (documents/demo_ca.py); docs/deploy.md says how to
use one from the official CA instead."""

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


class SigningUnavailable(Exception):
    """The province's certificate exists but cannot be used (wrong password,
    damaged file, an expired or unusable certificate)."""


@dataclass(frozen=True)
class Signed:
    data: bytes
    certificate: str  # the signing certificate's subject, as people read it


def certificate_path(province):
    directory = settings.DOCUMENT_SIGNING_DIR
    if not directory or province is None:
        return None
    return Path(str(directory)) / f"{province.code}.p12"


def password_for(province):
    password = settings.DOCUMENT_SIGNING_PASSWORDS.get(province.code, settings.DOCUMENT_SIGNING_PASSWORD)
    return password.encode() if password else None


_signers = {}


def _signer(path, password):
    """The pyHanko signer of a PKCS#12 file, kept while the file is unchanged."""
    from pyhanko.sign import signers

    key = (str(path), path.stat().st_mtime_ns, password)
    if key not in _signers:
        try:
            signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(path), passphrase=password)
        except (OSError, ValueError) as exc:
            raise SigningUnavailable(f"{path}: {exc}") from exc
        if signer is None:  # pyHanko logs the reason and returns None (e.g. a wrong password)
            raise SigningUnavailable(f"{path}: the PKCS#12 file could not be opened (wrong password?)")
        _signers.clear()
        _signers[key] = signer
    return _signers[key]


def signer_for(province):
    """The province's pyHanko signer; None when it has no certificate file
    (or signing is switched off: DOCUMENT_SIGNING_DIR empty).
    SigningUnavailable when the file cannot be opened, or its certificate is
    not valid now (expired, or not yet valid): a signature readers would
    reject is never made."""
    path = certificate_path(province)
    if path is None or not path.is_file():
        return None
    signer = _signer(path, password_for(province))
    certificate, now = signer.signing_cert, timezone.now()
    if not certificate.not_valid_before <= now <= certificate.not_valid_after:
        raise SigningUnavailable(
            f"{path}: the certificate is valid from {certificate.not_valid_before:%Y-%m-%d} "
            f"to {certificate.not_valid_after:%Y-%m-%d}, not now"
        )
    return signer


def sign(data, province, *, name, reason, location):
    """`data` signed (PAdES baseline B-B, SHA-256) with the province's
    certificate; None when the province has none (the document is issued
    unsigned, and `manage.py smoke_check` says so)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signer_for(province)
    if signer is None:
        if certificate_path(province) is not None:
            logger.warning("No signing certificate for province %s: document issued unsigned", province)
        return None
    meta = signers.PdfSignatureMetadata(
        field_name="TandaTanganElektronik",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    output = signers.sign_pdf(writer, meta, signer=signer)
    return Signed(output.getvalue(), signer.signing_cert.subject.human_friendly)

"""A demo certificate authority and a signing certificate per province, for
`make demo` and the tests: every name in them says DEMO, not for production.
A real deployment uses certificates from the official CA (docs/deploy.md)."""

import datetime
from pathlib import Path

DEMO_MARK = "DEMO - BUKAN UNTUK PRODUKSI / NOT FOR PRODUCTION"


def _name(common_name):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "PNPM-MP Provinsi"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(subject, issuer, public_key, signing_key, *, ca, now, years):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(signing_key, hashes.SHA256())


def make_demo_certificates(provinces, directory, password=None, now=None, years=3):
    """Write demo-ca.pem (the demo CA's certificate) and `<code>.p12` for
    each province that has none in `directory`, valid from the day before
    `now` for `years` (the CA for at least ten); returns the codes written.
    Safe to run again: existing files are kept."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = now or datetime.datetime.now(datetime.UTC)
    ca_key_path, ca_cert_path = directory / "demo-ca.key", directory / "demo-ca.pem"
    from cryptography import x509

    if ca_key_path.is_file() and ca_cert_path.is_file():
        ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
        ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
    else:
        ca_key = _key()
        name = _name("CA PNPM-MP (DEMO)")
        ca_cert = _certificate(name, name, ca_key.public_key(), ca_key, ca=True, now=now, years=max(10, years))
        ca_key_path.write_bytes(
            ca_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        ca_key_path.chmod(0o600)
        ca_cert_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    written = []
    for province in provinces:
        path = directory / f"{province.code}.p12"
        if path.is_file():
            continue
        key = _key()
        cert = _certificate(
            _name(f"Provinsi {province.name} (DEMO)"),
            ca_cert.subject,
            key.public_key(),
            ca_key,
            ca=False,
            now=now,
            years=years,
        )
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                f"provinsi-{province.code}".encode(), key, cert, [ca_cert], encryption
            )
        )
        path.chmod(0o600)
        written.append(province.code)
    return written

# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A throw-away CA and a server certificate signed by it, for the TLS tests (unit and integration).

    make_certs.py DIR   -> DIR/ca.pem, DIR/server.pem, DIR/server.key, DIR/other-ca.pem

The server certificate is valid for the IP address 127.0.0.1 only (no DNS name), so a client that
connects to "localhost" must refuse it for its name. other-ca.pem is a second CA that signed
nothing: trusting it must not make the server's certificate trusted. Needs ``cryptography``.
"""

from __future__ import annotations

import datetime
import ipaddress
import pathlib
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca(common_name: str, now: datetime.datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write_test_pki(out: pathlib.Path) -> dict[str, pathlib.Path]:
    """Write the files into ``out``; their paths by role: ``ca``, ``other_ca``, ``cert`` and ``key``."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, ca_cert = _ca("dyn.managed_dns test CA", now)
    _other_key, other_cert = _ca("dyn.managed_dns unrelated CA", now)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (out / "ca.pem").write_bytes(_pem(ca_cert))
    (out / "other-ca.pem").write_bytes(_pem(other_cert))
    (out / "server.pem").write_bytes(_pem(server_cert))
    key_file = out / "server.key"
    key_file.write_bytes(b"")
    key_file.chmod(0o600)
    key_file.write_bytes(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return {"ca": out / "ca.pem", "other_ca": out / "other-ca.pem", "cert": out / "server.pem", "key": key_file}


def main() -> None:
    write_test_pki(pathlib.Path(sys.argv[1]))


if __name__ == "__main__":
    main()

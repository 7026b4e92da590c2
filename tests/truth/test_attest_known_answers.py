"""Known answers: published test vectors, and receipts pinned to the byte.

* RFC 8032 §7.1 TEST 1 and TEST 2: the secret key, written as the PKCS#8 PEM a key file
  holds, read through the same handling as `dos attest --key-file`, gives the RFC's public
  key and signature exactly.
* A fixed receipt signed with that key gives a pinned payload, key id and signature.
* DSSE: our PAE is the protocol's example to the byte, and the protocol's own ECDSA
  signature over it verifies (an independent check: that signature was made elsewhere).
* RFC 8785: the scheme's own examples (its §3.2.2 values, §3.2.3 sorting by UTF-16 code
  units) come out of our canonical form byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from tests._support.receipts import SECRET, dos, secret_file

from dos.api.attest import signing_key, verifying_keys
from dos.truth.receipts.dsse import pae
from dos.truth.receipts.keys import Ed25519Signer, Ed25519Verifier
from dos.truth.receipts.signing import canonical

# RFC 8032 §7.1: (secret key, public key, message, signature), all hex.
RFC8032 = {
    "TEST 1": ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
               "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
               "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a3"
               "3bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    "TEST 2": ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
               "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
               "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15"
               "996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
}
# RFC 8410: an Ed25519 key in PKCS#8 (private) and SubjectPublicKeyInfo (public) is this
# fixed DER prefix followed by the 32 raw bytes.
_PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def _pem(label: str, der: bytes) -> bytes:
    return (f"-----BEGIN {label}-----\n{base64.b64encode(der).decode()}\n"
            f"-----END {label}-----\n").encode()


def _key_files(directory: Path, test: str) -> tuple[Path, Path]:
    secret, public = (bytes.fromhex(RFC8032[test][index]) for index in (0, 1))
    private_file, public_file = directory / "rfc8032.key", directory / "rfc8032.pub"
    private_file.write_bytes(_pem("PRIVATE KEY", _PKCS8_PREFIX + secret))
    public_file.write_bytes(_pem("PUBLIC KEY", _SPKI_PREFIX + public))
    return private_file, public_file


def test_the_rfc_8032_test_1_key_file_is_the_pem_a_key_file_holds(tmp_path: Path) -> None:
    private_file, public_file = _key_files(tmp_path, "TEST 1")
    assert private_file.read_text() == ("-----BEGIN PRIVATE KEY-----\n"
                                        "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
                                        "-----END PRIVATE KEY-----\n")
    assert public_file.read_text() == ("-----BEGIN PUBLIC KEY-----\n"
                                       "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
                                       "-----END PUBLIC KEY-----\n")


@pytest.mark.parametrize("test", sorted(RFC8032))
def test_rfc_8032_vectors_through_the_key_file_handling(tmp_path: Path, test: str) -> None:
    _, public, message, signature = (bytes.fromhex(part) for part in RFC8032[test])
    private_file, public_file = _key_files(tmp_path, test)
    signer = signing_key(str(private_file))  # what `dos attest --key-file` calls
    assert isinstance(signer, Ed25519Signer)
    raw = signer.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert raw == public
    assert signer.sign(message) == signature
    assert signer.key_id == "ed25519:" + hashlib.sha256(public).hexdigest()[:32]
    [verifier] = verifying_keys([str(public_file)])  # what `dos verify-receipt --key-file` calls
    assert isinstance(verifier, Ed25519Verifier)
    assert verifier.key_id == signer.key_id
    assert verifier.verify(message, signature)
    forged = signature[:-1] + bytes([signature[-1] ^ 1])
    assert not verifier.verify(message, forged)
    assert not verifier.verify(message + b"\x00", signature)


# The receipt `dos attest` mints below, as the bytes it signs: RFC 8785, sorted keys, no
# whitespace, the claim's line break escaped (so it can never read as a field boundary),
# non-ASCII as raw UTF-8.
PINNED_PAYLOAD = (
    b'{"accountability_tier":"OS_RECORDED","algorithm":"ED25519","believe":true,'
    b'"claim":"deploy:prod\\nnarrated=ok","key_id":"ed25519:21fe31dfa154a261626bf854046fd227",'
    b'"narrated":"","refuted":false,"schema":"dos.attest/receipt@2",'
    b'"timestamp":"2026-01-01T00:00:00Z","verdict":"CONFIRMED","witness":{"after":{"path":'
    b'"after.json","sha256":"4d831d8571c928b32ee510fdbfe1cb37c0b839a9a68079892380f5985cda076b"},'
    b'"before":{"path":"before.json","sha256":'
    b'"ed5a3cfcda04905c7e8f6255455c1ce51f52e31731f7dfb7aeb2108647c89f84"},"finding":"added",'
    b'"kind":"state_diff","third_party":false},"witness_author":"state_diff",'
    b'"witness_surface":"before.json\xe2\x86\x92after.json"}')
# Ed25519 is deterministic (RFC 8032 §5.1.6: the nonce is a hash of the key and the
# message), so these literals change only if the canonical form, the receipt's fields or
# the key handling change — any of which breaks every receipt already handed out.
PINNED_ED25519 = ("f274594b1fe76f01bcd80884d9400b8935acea46f1bcdf5187c6fd0ee5bcc671"
                  "53e9db58cfaa99aa11bb8533687d45360b33804847f7a28a81c2412c3a192e01")
PINNED_HMAC_KEY_ID = "hmac-sha256:87fd105286327037fab9083ed20033f9"
PINNED_HMAC = "058c27e9c1cccec82f8fa6bd27d4673ac240c2cd683a3c42b6fb4f3a999d0b90"


def _mint(capsys: pytest.CaptureFixture[str], tmp_path: Path, key: Path) -> dict[str, object]:
    workspace = tmp_path / "ws"
    workspace.mkdir(exist_ok=True)
    (workspace / "before.json").write_text('{"other": 1}\n', encoding="utf-8")
    (workspace / "after.json").write_text('{"deploy:prod\\nnarrated=ok": "2026-01-01", '
                                          '"other": 1}\n', encoding="utf-8")
    ran = dos(capsys, "--workspace", str(workspace), "attest", "--claim",
              "deploy:prod\nnarrated=ok", "--before", "before.json", "--after", "after.json",
              "--key-file", str(key), "--timestamp", "2026-01-01T00:00:00Z", "--json")
    assert ran.code == 0, ran.err
    receipt: dict[str, object] = ran.json["receipt"]
    return receipt


def test_a_fixed_receipt_gives_a_pinned_ed25519_signature(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private_file, _ = _key_files(tmp_path, "TEST 1")
    receipt = _mint(capsys, tmp_path, private_file)
    unsigned = {name: value for name, value in receipt.items() if name != "signature"}
    assert canonical(unsigned) == PINNED_PAYLOAD
    assert receipt["key_id"] == "ed25519:21fe31dfa154a261626bf854046fd227"
    assert receipt["signature"] == PINNED_ED25519
    # an independent check: the RFC's public key verifies the pinned signature over the
    # pinned bytes with cryptography alone
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(RFC8032["TEST 1"][1]))
    public.verify(bytes.fromhex(PINNED_ED25519), PINNED_PAYLOAD)
    with pytest.raises(InvalidSignature):
        public.verify(bytes.fromhex(PINNED_ED25519), PINNED_PAYLOAD.replace(b"true", b"fals"))


def test_a_fixed_receipt_gives_a_pinned_hmac_signature(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    receipt = _mint(capsys, tmp_path, secret_file(tmp_path, "hmac.secret"))
    payload = PINNED_PAYLOAD.replace(b'"ED25519"', b'"HMAC-SHA256"').replace(
        b"ed25519:21fe31dfa154a261626bf854046fd227", PINNED_HMAC_KEY_ID.encode())
    unsigned = {name: value for name, value in receipt.items() if name != "signature"}
    assert canonical(unsigned) == payload
    assert receipt["key_id"] == PINNED_HMAC_KEY_ID
    # the key file's trailing newline is not part of the secret
    assert receipt["signature"] == hmac.new(SECRET.encode(), payload, "sha256").hexdigest()
    assert receipt["signature"] == PINNED_HMAC


# DSSE protocol.md, "Test Vectors": the PAE of its example, and its ECDSA P-256 key and
# signature (raw r || s) over that PAE.
DSSE_TYPE, DSSE_BODY = "http://example.com/HelloWorld", b"hello world"
DSSE_PAE = b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
DSSE_X = 46950820868899156662930047687818585632848591499744589407958293238635476079160
DSSE_Y = 5640078356564379163099075877009565129882514886557779369047442380624545832820
DSSE_SIG = ("A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeC"
            "UjW2JIZA==")


def test_pae_is_the_dsse_protocol_example_byte_for_byte() -> None:
    assert pae(DSSE_TYPE, DSSE_BODY) == DSSE_PAE
    # LEN counts bytes, not characters; an empty body is still framed
    assert pae("ü", b"") == b"DSSEv1 2 \xc3\xbc 0 "
    assert pae("t", b"a b") == b"DSSEv1 1 t 3 a b"


def test_the_dsse_protocol_signature_verifies_over_our_pae() -> None:
    public = ec.EllipticCurvePublicNumbers(DSSE_X, DSSE_Y, ec.SECP256R1()).public_key()
    raw = base64.b64decode(DSSE_SIG)
    signature = encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                     int.from_bytes(raw[32:], "big"))
    public.verify(signature, pae(DSSE_TYPE, DSSE_BODY), ec.ECDSA(hashes.SHA256()))
    with pytest.raises(InvalidSignature):  # the check can fail: a PAE counting otherwise
        public.verify(signature, b"DSSEv1 29 http://example.com/HelloWorld 12 hello world",
                      ec.ECDSA(hashes.SHA256()))


# RFC 8785 §3.2.2 (values, escaping, numbers) and §3.2.3 (sorting), as in the scheme's
# published test data (github.com/cyberphone/json-canonicalization, testdata/).
RFC8785 = {
    "values": (
        '{"numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],'
        ' "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}',
        '{"escaping":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],'
        '"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}'),
    "sorting": (
        '{"\\u20ac": "Euro Sign", "1": "One", "\\u0080": "Control\\u007f",'
        ' "\\ud83d\\ude02": "Smiley", "\\u00f6": "Latin Small Letter O With Diaeresis",'
        ' "\\ufb33": "Hebrew Letter Dalet With Dagesh", "</script>": "Browser Challenge"}',
        '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f",'
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
        '"\U0001f602":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}'),
}


@pytest.mark.parametrize("case", sorted(RFC8785))
def test_rfc_8785_examples_byte_for_byte(case: str) -> None:
    given, expected = RFC8785[case]
    assert canonical(json.loads(given)) == expected.encode("utf-8")


def test_rfc_8785_orders_keys_by_utf16_code_units_and_formats_numbers_as_ecmascript() -> None:
    # U+1F600 is D83D DE00 in UTF-16: before U+FB01, though after it by code point
    assert canonical({"\ufb01": 1, "\U0001f600": 2, "\u20ac": 3}) == (
        '{"\u20ac":3,"\U0001f600":2,"\ufb01":1}'.encode())
    numbers = {"-0": -0.0, "1e+21": 1e21, "1e20": 1e20, "1e-7": 1e-7, "1e-6": 1e-6,
               "max": 2**53 - 1}
    assert canonical(numbers) == (b'{"-0":0,"1e+21":1e+21,"1e-6":0.000001,"1e-7":1e-7,'
                                  b'"1e20":100000000000000000000,"max":9007199254740991}')

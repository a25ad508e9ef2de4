"""
The signing core: the only module that talks to PyJWT.

PyJWT's HMAC algorithm prepares the key and signs and verifies (with a
constant-time comparison). What can be done once per secret or per header
is done once: preparing a key sniffs for PEM, SSH, DER and JWK material and
costs more than the HMAC itself, so prepared keys are cached.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
import warnings

from calendar import timegm
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import jwt

from jwt.algorithms import HMACAlgorithm

from ._json import FrozenDict, loads_frozen
from .exceptions import MalformedTokenError, WeakSecretWarning


if TYPE_CHECKING:
    from collections.abc import Callable


__all__ = [
    "CTY",
    "MAX_TOKEN_LENGTH",
    "SigningKey",
    "decode_as_pyjwt",
    "encode",
    "header",
    "header_segment",
    "parse",
    "sign",
    "signing_key",
]

CTY: Final = "twilio-fpa;v=1"

# Real tokens are well under 4 KiB; anything past this is refused before
# any base64 or JSON work is done on it.
MAX_TOKEN_LENGTH: Final = 16 * 1024

_HS256: Final = HMACAlgorithm(HMACAlgorithm.SHA256)
_SEGMENT_RE: Final = re.compile(rb"[A-Za-z0-9_-]*")
_MIN_SECRET_BYTES: Final = 32


class SigningKey:
    """
    An API key secret, prepared once for HMAC; it never shows itself.
    """

    __slots__ = ("_key", "weak")

    def __init__(self, secret: str | bytes) -> None:
        if not isinstance(secret, (str, bytes)):
            msg = (
                "api_key_secret must be a str, got "
                f"{type(secret).__name__}."  # the type, never the value
            )
            raise TypeError(msg)
        if not secret:
            msg = "api_key_secret must not be empty."
            raise ValueError(msg)
        try:
            self._key: bytes = _HS256.prepare_key(secret)
        except jwt.InvalidKeyError:
            msg = (
                "api_key_secret looks like an asymmetric key or certificate; "
                "Access Tokens are signed with an API key's secret."
            )
            raise ValueError(msg) from None  # the cause quotes no key
        self.weak: bool = len(self._key) < _MIN_SECRET_BYTES

    def __repr__(self) -> str:
        return "SigningKey(<secret hidden>)"

    def warn_weak(self) -> None:
        """
        Warn (WeakSecretWarning) that the secret is under 32 bytes.
        """
        msg = (
            f"api_key_secret is {len(self._key)} bytes; HS256 wants at "
            f"least {_MIN_SECRET_BYTES} (Twilio API key secrets are 32 "
            "characters). Is it a placeholder?"
        )
        warnings.warn(msg, WeakSecretWarning, stacklevel=4)

    def sign(self, signing_input: bytes) -> bytes:
        """
        The HS256 HMAC of *signing_input*, by PyJWT's algorithm.
        """
        return _HS256.sign(signing_input, self._key)

    def verify(self, signing_input: bytes, signature: bytes) -> bool:
        """
        Whether *signature* is the HS256 HMAC (constant-time comparison).
        """
        return _HS256.verify(signing_input, self._key, signature)


def signing_key(secret: str | bytes) -> SigningKey:
    """
    The prepared key for *secret*.

    Preparing costs more than signing, so exact str and bytes secrets are
    prepared once, cached by type name, then value: a str subclass may call
    other secrets equal, and str against bytes compares with BytesWarning.
    """
    if type(secret) in (str, bytes):
        return _cached_key(type(secret).__name__, secret)
    return SigningKey(secret)


@functools.lru_cache(maxsize=64)
def _cached_key(_: str, secret: str | bytes) -> SigningKey:
    return SigningKey(secret)


_URLSAFE: Final = bytes.maketrans(b"+/", b"-_")


def _b64(data: bytes) -> bytes:
    # base64.urlsafe_b64encode() without its two Python-level wrappers.
    return (
        binascii.b2a_base64(data, newline=False)
        .translate(_URLSAFE)
        .rstrip(b"=")
    )


@functools.lru_cache(maxsize=64)
def header(region: str | None) -> FrozenDict:
    """
    The native header: ``twr`` only with a region; shared, so read-only.
    """
    fields = {"alg": "HS256", "cty": CTY, "typ": "JWT"}
    if region is not None:
        fields["twr"] = region
    return FrozenDict(fields)


@functools.lru_cache(maxsize=64)
def header_segment(region: str | None) -> bytes:
    """
    The encoded native header, keys sorted.
    """
    text = json.dumps(
        dict(header(region)), separators=(",", ":"), sort_keys=True
    )
    return _b64(text.encode())


def sign(
    header_seg: bytes, payload_json: str, signer: Callable[[bytes], bytes]
) -> str:
    """
    Assemble and sign a compact JWS from an encoded header and JSON text.
    """
    signing_input = header_seg + b"." + _b64(payload_json.encode())
    return (signing_input + b"." + _b64(signer(signing_input))).decode()


@functools.lru_cache(maxsize=64)
def _prepared(algorithm: str, _: str, secret: str | bytes) -> Any:
    return jwt.get_algorithm_by_name(algorithm).prepare_key(secret)


def _pyjwt_key(algorithm: str, secret: Any) -> Any:
    """The key as jwt.encode prepares it; exact str/bytes keys once."""
    if type(secret) in (str, bytes):
        return _prepared(algorithm, type(secret).__name__, secret)
    return jwt.get_algorithm_by_name(algorithm).prepare_key(secret)


# What PyJWS.encode does with these headers, we leave to it.
_PYJWT_HEADERS: Final = frozenset({"kid", "b64", "crit"})


def encode(
    payload: dict[str, Any],
    key: Any,
    algorithm: str,
    headers: dict[str, Any],
) -> str:
    """
    ``jwt.encode(payload, key, algorithm, headers)``, for ``compat``.

    The same bytes (sorted header, compact JSON), checks in the same order,
    the same errors and warnings, and PyJWT's algorithm signs; only the key
    is prepared once. Headers PyJWS treats specially (``kid``, ``b64``,
    ``crit``) and ``PyJWK`` keys go to ``jwt.encode`` itself.

    Raises:
        TypeError: A non-str ``iss``, a claim JSON cannot hold, or a key
            that is not str or bytes.
        NotImplementedError: An algorithm PyJWT does not have.
        jwt.InvalidKeyError: A key the algorithm cannot use.
    """
    if _PYJWT_HEADERS.intersection(headers) or isinstance(key, jwt.PyJWK):
        return jwt.encode(payload, key, algorithm=algorithm, headers=headers)
    payload = payload.copy()
    for claim in ("exp", "iat", "nbf"):
        if isinstance(payload.get(claim), datetime):
            payload[claim] = timegm(payload[claim].utctimetuple())
    if "iss" in payload and not isinstance(payload["iss"], str):
        msg = "Issuer (iss) must be a string."
        raise TypeError(msg)
    payload_json = json.dumps(payload, separators=(",", ":"))
    name = headers.get("alg") or algorithm
    header = {"typ": "JWT", "alg": name, **headers}
    if not header["typ"]:
        del header["typ"]
    header_json = json.dumps(header, separators=(",", ":"), sort_keys=True)
    alg = jwt.get_algorithm_by_name(name)
    prepared = _pyjwt_key(name, key)
    check_length = getattr(alg, "check_key_length", None)
    # PyJWT 2.10+ warns about short HMAC keys, so do we; older PyJWT (the
    # lowest-versions CI run) has no such check.
    if check_length is not None:  # pragma: no branch
        short = check_length(prepared)
        if short:
            from jwt.warnings import InsecureKeyLengthWarning  # noqa: PLC0415

            warnings.warn(short, InsecureKeyLengthWarning, stacklevel=3)
    return sign(
        _b64(header_json.encode()),
        payload_json,
        functools.partial(alg.sign, key=prepared),
    )


def decode_as_pyjwt(
    token: str, key: str | bytes | None, algorithm: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """
    PyJWT's own decode, as twilio-python calls it: for ``compat`` only.

    The signature is verified only with a truthy *key*; ``exp`` and ``nbf``
    always, on PyJWT's clock, with PyJWT's messages.

    Raises:
        ValueError: The header names another algorithm.
        jwt.PyJWTError: Whatever PyJWT refuses.
    """
    headers = jwt.get_unverified_header(token)
    alg = headers.get("alg")
    if alg != algorithm:
        msg = f"Incorrect decoding algorithm {alg}, expecting {algorithm}."
        raise ValueError(msg)
    payload = jwt.decode(
        token,
        key or "",
        algorithms=[algorithm],
        options={
            "verify_signature": bool(key),
            "verify_exp": True,
            "verify_nbf": True,
        },
    )
    return headers, payload


def _segment(segment: bytes, name: str) -> bytes:
    if len(segment) % 4 == 1 or not _SEGMENT_RE.fullmatch(segment):
        msg = f"The token's {name} is not base64url."
        raise MalformedTokenError(msg)
    data = base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4))
    if _b64(data) != segment:
        # Stray low bits: the same bytes could be written several ways.
        msg = f"The token's {name} is not canonical base64url."
        raise MalformedTokenError(msg)
    return data


def _json_object(data: bytes, name: str) -> FrozenDict:
    try:
        value = loads_frozen(data.decode())
    except (ValueError, RecursionError) as e:  # UnicodeError included
        msg = f"The token's {name} is not JSON we accept: {e}"
        raise MalformedTokenError(msg) from e
    if type(value) is not FrozenDict:
        msg = f"The token's {name} is JSON but not an object."
        raise MalformedTokenError(msg)
    return value


def parse(token: str | bytes) -> tuple[FrozenDict, FrozenDict, bytes, bytes]:
    """
    Split a compact JWS into header, claims, signing input and signature.

    Raises:
        TypeError: *token* is neither str nor bytes.
        MalformedTokenError: Anything that makes it not a JWT (20101).
    """
    if isinstance(token, str):
        if not token.isascii():
            msg = "The token has non-ASCII characters; a JWT has none."
            raise MalformedTokenError(msg)
        raw = token.encode()
    elif isinstance(token, bytes):
        raw = token
    else:
        msg = f"token must be a str, got {type(token).__name__}."
        raise TypeError(msg)
    if len(raw) > MAX_TOKEN_LENGTH:
        msg = (
            f"The token is {len(raw)} bytes; tokens over "
            f"{MAX_TOKEN_LENGTH} are refused unread."
        )
        raise MalformedTokenError(msg)
    parts = raw.strip().split(b".")
    if len(parts) != 3:  # noqa: PLR2004
        msg = f"A JWT has three '.'-separated segments; this has {len(parts)}."
        raise MalformedTokenError(msg)
    header = _json_object(_segment(parts[0], "header"), "header")
    claims = _json_object(_segment(parts[1], "payload"), "payload")
    signature = _segment(parts[2], "signature")
    return header, claims, parts[0] + b"." + parts[1], signature

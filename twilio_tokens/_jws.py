"""
JWS primitives: base64url, the prepared HS256 key, compact sign and parse.

The only module that imports PyJWT (besides ``compat``, which calls
``jwt.encode``/``jwt.decode`` as twilio-python does). PyJWT's HMAC
algorithm prepares the key, signs, and verifies with a constant-time
comparison. Preparing a key sniffs for PEM, SSH, DER and JWK material and
costs more than the HMAC itself, so prepared keys are the package's one
cache. Parsing is bounded: a size limit before any work, then the bounded,
strict JSON of :mod:`._json`.
"""

from __future__ import annotations

import binascii
import functools
import re

from typing import Any, Final

import jwt

from jwt.algorithms import HMACAlgorithm

from ._json import (
    DuplicateKeyError,
    FrozenDict,
    TooDeepError,
    dumps,
    loads_frozen,
    typename,
)
from ._warn import warn
from .exceptions import (
    InvalidGrantsError,
    InvalidHeaderError,
    MalformedTokenError,
    WeakSecretWarning,
)


__all__ = [
    "MAX_TOKEN_LENGTH",
    "SigningKey",
    "b64",
    "parse",
    "sign",
    "signing_key",
]

# Real tokens are well under 4 KiB; anything past this is refused before
# any base64 or JSON work is done on it.
MAX_TOKEN_LENGTH: Final = 16 * 1024

_HS256: Final = HMACAlgorithm(HMACAlgorithm.SHA256)
_SEGMENT_RE: Final = re.compile(rb"[A-Za-z0-9_-]*")
_MIN_SECRET_BYTES: Final = 32
_URLSAFE: Final = bytes.maketrans(b"+/", b"-_")
_STANDARD: Final = bytes.maketrans(b"-_", b"+/")


def b64(data: bytes) -> bytes:
    """
    Unpadded base64url (RFC 7515 section 2).
    """
    # base64.urlsafe_b64encode() without its two Python-level wrappers.
    return (
        binascii.b2a_base64(data, newline=False)
        .translate(_URLSAFE)
        .rstrip(b"=")
    )


class SigningKey:
    """
    An API key secret, prepared once for HMAC; it never shows itself.

    The secret has been validated (a non-empty ``str``) by the caller.
    """

    __slots__ = ("_key", "weak")

    def __init__(self, secret: str) -> None:
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
        warn(msg, WeakSecretWarning)

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


@functools.lru_cache(maxsize=64)
def signing_key(secret: str) -> SigningKey:
    """
    The prepared key for *secret*: the package's one cache (64 secrets).

    Callers pass an exact ``str`` (see ``_credentials.check_secret``): a
    subclass could call two different secrets equal.
    """
    return SigningKey(secret)


def sign(
    header_segment: bytes, payload: dict[str, Any], key: SigningKey
) -> str:
    """
    The compact JWS of *payload* under an encoded header, signed by *key*.
    """
    signing_input = header_segment + b"." + b64(dumps(payload).encode())
    return (signing_input + b"." + b64(key.sign(signing_input))).decode()


def _segment(segment: bytes, name: str) -> bytes:
    if len(segment) % 4 == 1 or not _SEGMENT_RE.fullmatch(segment):
        msg = f"The token's {name} is not base64url."
        raise MalformedTokenError(msg)
    # The alphabet was checked: base64.urlsafe_b64decode() without its
    # Python-level wrappers.
    data = binascii.a2b_base64(
        segment.translate(_STANDARD) + b"=" * (-len(segment) % 4)
    )
    if b64(data) != segment:
        # Stray low bits: the same bytes could be written several ways.
        msg = f"The token's {name} is not canonical base64url."
        raise MalformedTokenError(msg)
    return data


def _json_object(data: bytes, name: str) -> FrozenDict:
    header = name == "header"
    try:
        value = loads_frozen(data.decode(), unique_keys=header)
    except TooDeepError as e:
        if e.key == "grants" and not header:
            msg = f"The token's grants are not JSON we accept: {e}."
            raise InvalidGrantsError(msg, "grants") from e
        msg = f"The token's {name} is not JSON we accept: {e}."
        raise MalformedTokenError(msg) from e
    except DuplicateKeyError as e:
        msg = f"The token's header is ambiguous: {e} (RFC 7515 section 4)."
        raise InvalidHeaderError(msg, "header") from e
    except ValueError as e:  # UnicodeError included
        msg = f"The token's {name} is not JSON we accept: {e}."
        raise MalformedTokenError(msg) from e
    if type(value) is not FrozenDict:
        msg = f"The token's {name} is JSON but not an object."
        raise MalformedTokenError(msg)
    return value


def parse(token: str | bytes) -> tuple[FrozenDict, FrozenDict, bytes, bytes]:
    """
    Split a compact JWS into header, claims, signing input and signature.

    A token is read as it is, never unwrapped; when it is not a JWT, the
    error says what it looks like instead (an ``Authorization`` header's
    ``Bearer``, quotes, a token endpoint's JSON body, a Flex token).

    Raises:
        TypeError: *token* is neither str nor bytes.
        MalformedTokenError: Anything that makes it not a JWT (20101).
        InvalidHeaderError: A header that names a parameter twice (20102).
        InvalidGrantsError: Grants nested past the bound (20106).
    """
    raw = _ascii(token)
    try:
        return _parse(raw)
    except MalformedTokenError as e:
        hint = _looks_like(raw.strip())
        if hint is None:
            raise
        raise MalformedTokenError(f"{e.message} {hint}", e.field) from None


def _ascii(token: object) -> bytes:
    # The built-in types' own methods: a subclass's may do anything.
    if isinstance(token, str):
        if not str.isascii(token):
            msg = "The token has non-ASCII characters; a JWT has none."
            raise MalformedTokenError(msg)
        raw = str.encode(token)
    elif isinstance(token, bytes):
        raw = bytes.__getitem__(token, slice(None))
    else:
        msg = f"token must be a str, got {typename(token)}."
        raise TypeError(msg)
    if len(raw) > MAX_TOKEN_LENGTH:
        msg = (
            f"The token is {len(raw)} bytes; tokens over "
            f"{MAX_TOKEN_LENGTH} are refused unread."
        )
        raise MalformedTokenError(msg)
    return raw


# A JWE in compact form (RFC 7516): five segments. Twilio Flex tokens are.
_JWE_SEGMENTS: Final = 5
_BEARER: Final = re.compile(rb"bearer\s", re.IGNORECASE)
_TOKEN_FIELD: Final = re.compile(rb'"token"\s*:\s*"')


def _looks_like(raw: bytes) -> str | None:
    """
    What a text that is not a JWT looks like, for the error, if known.
    """
    if _BEARER.match(raw):
        return (
            "It starts with 'Bearer ': pass the token alone, without the "
            "Authorization header's scheme."
        )
    if len(raw) > 1 and raw[:1] == raw[-1:] and raw[:1] in (b'"', b"'"):
        return "It is wrapped in quotes: pass the text inside them."
    if raw.startswith(b"{"):
        if _TOKEN_FIELD.search(raw):
            return (
                "It is a JSON object with a token field (a token endpoint's "
                "body?): pass that field's value."
            )
        return "It is a JSON object, not a JWT."
    if raw.count(b".") == _JWE_SEGMENTS - 1:
        return (
            "It has five segments: a JWE, such as a Twilio Flex token, which "
            "only Twilio can read; validate it with twilio_tokens.flex."
        )
    return None


def _parse(raw: bytes) -> tuple[FrozenDict, FrozenDict, bytes, bytes]:
    parts = raw.strip().split(b".")
    if len(parts) != 3:  # noqa: PLR2004
        msg = f"A JWT has three '.'-separated segments; this has {len(parts)}."
        raise MalformedTokenError(msg)
    header = _json_object(_segment(parts[0], "header"), "header")
    claims = _json_object(_segment(parts[1], "payload"), "payload")
    signature = _segment(parts[2], "signature")
    return header, claims, parts[0] + b"." + parts[1], signature

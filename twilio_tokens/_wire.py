"""
The Twilio Access Token header, as Twilio documents it.

An Access Token is an HS256 JWT whose header carries the content type
``twilio-fpa;v=1`` and, for an API key outside US1, the key's Twilio
Region as ``twr`` (https://www.twilio.com/docs/iam/access-tokens).
"""

from __future__ import annotations

from typing import Final

from ._json import dumps
from ._jws import b64


__all__ = ["ALGORITHM", "CTY", "header", "header_segment"]

ALGORITHM: Final = "HS256"
CTY: Final = "twilio-fpa;v=1"


def header(region: str | None) -> dict[str, str]:
    """
    The native header, keys sorted; ``twr`` only with a region.
    """
    fields = {"alg": ALGORITHM, "cty": CTY}
    if region is not None:
        fields["twr"] = region
    fields["typ"] = "JWT"
    return fields


# The header of every token without a region: the same bytes each time.
_US1_SEGMENT: Final = b64(dumps(header(None)).encode())


def header_segment(region: str | None) -> bytes:
    """
    The encoded header: compact JSON, keys sorted, base64url.
    """
    if region is None:
        return _US1_SEGMENT
    return b64(dumps(header(region)).encode())

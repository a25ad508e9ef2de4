"""
The Twilio Access Token header, as Twilio documents it.

An Access Token is an HS256 JWT whose header carries the content type
``twilio-fpa;v=1`` and, for an API key outside US1, the key's Twilio
Region as ``twr`` (https://www.twilio.com/docs/iam/access-tokens).
"""

from __future__ import annotations

from typing import Final


__all__ = ["ALGORITHM", "CTY", "header"]

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

"""
The errors and warnings that *twilio_tokens* raises on purpose.

Every bad token raises a subclass of :class:`InvalidTokenError`; each leaf
carries ``code``, the Twilio error code the server would answer with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar


if TYPE_CHECKING:
    from ._problem import Problem


__all__ = [
    "ExpiredTokenError",
    "FlexValidationUnavailableError",
    "InvalidFlexTokenError",
    "InvalidGrantsError",
    "InvalidHeaderError",
    "InvalidIssuerError",
    "InvalidSignatureError",
    "InvalidTokenError",
    "MalformedTokenError",
    "MissingCredentialsError",
    "NotYetValidError",
    "TokenRefusedError",
    "TokenWarning",
    "TwilioTokenError",
    "WeakSecretWarning",
]


class TwilioTokenError(Exception):
    """
    Base of every error that *twilio_tokens* raises on purpose.
    """


class InvalidTokenError(TwilioTokenError):
    """
    A token that Twilio would refuse; ``code`` is Twilio's error code.

    Raised by :func:`~twilio_tokens.decode` (one subclass per code, on the
    first failure in Twilio's order); catch this class to catch them all.
    ``str()`` of the error is its message, which names the field and the
    value at fault, never the secret.

    Args:
        message: What is wrong, in a sentence.
        field: The header or claim at fault, if one is.

    Attributes:
        code: The Twilio error code (20101 is Twilio's catch-all), on the
            class: ``except InvalidTokenError as e: e.code``.
        field: The header or claim at fault, e.g. ``"exp"`` or
            ``"header.alg"``; ``None`` when the token as a whole is bad.
        message: The message, as ``str()`` gives it.
    """

    code: ClassVar[int] = 20101

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, field)  # both, so pickling round-trips
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class MalformedTokenError(InvalidTokenError):
    """
    Not a JWT at all: segments, base64url or JSON (Twilio 20101).
    """

    code = 20101


class InvalidHeaderError(InvalidTokenError):
    """
    The header's ``typ``, ``alg`` or ``cty`` is wrong (Twilio 20102).
    """

    code = 20102


class InvalidIssuerError(InvalidTokenError):
    """
    ``iss`` or ``sub`` is malformed or not the expected one (Twilio 20103).
    """

    code = 20103


class ExpiredTokenError(InvalidTokenError):
    """
    ``exp`` is missing, not an integer, or past (Twilio 20104).
    """

    code = 20104


class NotYetValidError(InvalidTokenError):
    """
    ``nbf`` is not an integer or still in the future (Twilio 20105).
    """

    code = 20105


class InvalidGrantsError(InvalidTokenError):
    """
    ``grants`` is missing, not an object, or cannot be rebuilt (20106).
    """

    code = 20106


class InvalidSignatureError(InvalidTokenError):
    """
    The HMAC does not match the API key secret (Twilio 20107).
    """

    code = 20107


class TokenRefusedError(ValueError, TwilioTokenError):
    """
    A token was not minted because Twilio would reject it.

    Raised by :class:`~twilio_tokens.AccessToken` and its ``to_jwt()``
    when the shared rule set reports an error. A ``ValueError``, so code
    that catches bad input as ``ValueError`` (a web framework's 400) keeps
    working.

    Args:
        message: Every problem, in one message that names the argument.
        problems: The error-level problems.

    Attributes:
        problems: Every error-level :class:`~twilio_tokens.Problem` found.
        code: The Twilio error code of the first problem, if it has one.
        message: The message, as ``str()`` gives it.
    """

    def __init__(self, message: str, problems: tuple[Problem, ...]) -> None:
        super().__init__(message, problems)  # both, so pickling round-trips
        self.message = message
        self.problems = problems
        self.code = next((p.code for p in problems if p.code), None)

    def __str__(self) -> str:
        return self.message


class MissingCredentialsError(TwilioTokenError, LookupError):
    """
    ``AccessToken.from_env()`` found no value for a credential.

    A ``LookupError``; the message names every variable it looked for
    (``TWILIO_API_KEY`` or ``TWILIO_API_KEY_SID``, …), never a value.
    """


class TokenWarning(UserWarning):
    """
    Likely trouble with a token or its credentials, found when minting.

    The category of every warning *twilio_tokens* emits about a token (a
    warning-level :class:`~twilio_tokens.Problem` of the shared rule set)
    or its credentials, so a test run can make them errors with
    ``-W error::twilio_tokens.TokenWarning``.
    """


class WeakSecretWarning(TokenWarning):
    """
    The API key secret is shorter than the 32 bytes HS256 wants.

    Real Twilio API key secrets are 32 characters; a shorter one is usually
    a placeholder or a truncated environment variable.
    """


class InvalidFlexTokenError(TwilioTokenError):
    """
    A Flex token that is not valid: a web app answers 401 or 403.

    Raised by :mod:`twilio_tokens.flex` when Twilio's IAM service answers
    ``"valid": false``, or before any request for a token that cannot be
    one (empty, too long, not five segments).

    Attributes:
        message: Twilio's message, or ours for a token refused before
            any request. It never holds the token.
        code: Twilio's error code; ``None`` when no request was made.
    """

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message, code)  # both, so pickling round-trips
        self.message = message
        self.code = code

    def __str__(self) -> str:
        if self.code is None:
            return self.message
        return f"{self.message} (Twilio {self.code})"


class FlexValidationUnavailableError(TwilioTokenError):
    """
    No answer about a Flex token could be had: a web app answers 503.

    A timeout, a connection error, a 5xx or 429 answer, a body that is not
    JSON or has no ``valid``, or Twilio refusing the server's own
    credentials. It says nothing about the token itself, so it is not an
    :class:`InvalidFlexTokenError`. The message says which failure it was.

    Attributes:
        message: What failed; never the token or a secret.
        status: The HTTP status of the answer, or ``None`` without one.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message, status)  # both, so pickling round-trips
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message

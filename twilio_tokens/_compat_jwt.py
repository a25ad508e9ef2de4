"""
twilio-python's ``Jwt`` base class and its decoding, for ``compat``.

Both ``compat``'s Access Token and the capability tokens are these: PyJWT
encodes and decodes them exactly as twilio-python calls it.
"""

from __future__ import annotations

import time

from typing import Any, ClassVar

import jwt as pyjwt


__all__ = ["Jwt", "JwtDecodeError"]


class JwtDecodeError(Exception):
    """
    Any failure of :meth:`Jwt.from_jwt`, with the cause's message.
    """


class Jwt:
    """
    Base class for building a JSON Web Token (twilio-python's ``Jwt``).
    """

    GENERATE: ClassVar[object] = object()
    ALGORITHM: ClassVar[str] = "HS256"

    def __init__(
        self,
        secret_key: Any,
        issuer: Any,
        subject: Any = None,
        algorithm: str | None = None,
        nbf: Any = GENERATE,
        ttl: int = 3600,
        valid_until: Any = None,
    ) -> None:
        self.secret_key = secret_key
        self.issuer = issuer
        self.subject = subject
        self.algorithm = algorithm or self.ALGORITHM
        self.nbf = nbf
        self.ttl = ttl
        self.valid_until = valid_until
        self._decoded_payload: dict[str, Any] | None = None
        self._decoded_headers: dict[str, Any] | None = None

    def _generate_payload(self) -> dict[str, Any]:
        msg = "Subclass must provide a payload."
        raise NotImplementedError(msg)

    def _generate_headers(self) -> dict[str, Any]:
        return {}

    @classmethod
    def _from_jwt(
        cls,
        headers: dict[str, Any],
        payload: dict[str, Any],
        key: Any = None,
    ) -> Jwt:
        jwt = Jwt(
            secret_key=key,
            issuer=payload.get("iss"),
            subject=payload.get("sub"),
            algorithm=headers.get("alg"),
            valid_until=payload.get("exp"),
            nbf=payload.get("nbf"),
        )
        jwt._decoded_payload = payload
        jwt._decoded_headers = headers
        return jwt

    @property
    def payload(self) -> dict[str, Any]:
        """The claims: rebuilt on each access, or as decoded."""
        if self._decoded_payload:  # an empty one is rebuilt, as upstream
            return self._decoded_payload
        payload = self._generate_payload().copy()
        payload["iss"] = self.issuer
        payload["exp"] = int(time.time()) + self.ttl
        if self.nbf is not None:
            if self.nbf is self.GENERATE:
                payload["nbf"] = int(time.time())
            else:
                payload["nbf"] = self.nbf
        if self.valid_until:
            payload["exp"] = self.valid_until
        if self.subject:
            payload["sub"] = self.subject
        return payload

    @property
    def headers(self) -> dict[str, Any]:
        """The header: rebuilt on each access, or as decoded."""
        if self._decoded_headers:
            return self._decoded_headers
        headers = self._generate_headers().copy()
        headers["typ"] = "JWT"
        headers["alg"] = self.algorithm
        return headers

    def to_jwt(self, ttl: int | None = None) -> str:
        """
        Encode this token as a JWT; *ttl* overrides the configured one.

        Raises:
            ValueError: No secret key is configured.
        """
        if not self.secret_key:
            msg = "JWT does not have a signing key configured."
            raise ValueError(msg)
        headers = self.headers.copy()
        payload = self.payload.copy()
        if ttl:
            payload["exp"] = int(time.time()) + ttl
        return pyjwt.encode(
            payload, self.secret_key, algorithm=self.algorithm, headers=headers
        )

    @classmethod
    def from_jwt(cls, jwt: str, key: Any = "") -> Jwt:
        """
        Decode a JWT; the signature is verified only when *key* is given.

        ``exp`` and ``nbf`` are always checked, without leeway.

        Raises:
            JwtDecodeError: For any failure, with the cause's message.
        """
        try:
            headers, payload = _decode(jwt, key, cls.ALGORITHM)
        except Exception as e:
            raise JwtDecodeError(getattr(e, "message", str(e))) from e
        return cls._from_jwt(headers, payload, key)

    def __str__(self) -> str:
        return f"<JWT {self.to_jwt()}>"


def _decode(
    token: str, key: Any, algorithm: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """
    PyJWT's own decode, as twilio-python calls it.

    The signature is verified only with a truthy *key*; ``exp`` and ``nbf``
    always, on PyJWT's clock, with PyJWT's messages.

    Raises:
        ValueError: The header names another algorithm.
        jwt.PyJWTError: Whatever PyJWT refuses.
    """
    headers = pyjwt.get_unverified_header(token)
    alg = headers.get("alg")
    if alg != algorithm:
        msg = f"Incorrect decoding algorithm {alg}, expecting {algorithm}."
        raise ValueError(msg)
    payload = pyjwt.decode(
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

"""
What the tests share: fake, valid-format credentials, a fixed clock, and
the pieces of a JWT assembled by hand (for what the library refuses to
mint).
"""

import base64


SECRET = "test-secret-" * 3  # 36 bytes: PyJWT warns below 32
OTHER_SECRET = "other-secret-" * 3
ACCOUNT = "AC" + "0123456789abcdef" * 2
KEY = "SK" + "0123456789abcdef" * 2
NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
APP = "AP" + "a" * 32
SERVICE = "IS" + "b" * 32
ROLE = "RL" + "c" * 32
CRED = "CR" + "d" * 32
WORKSPACE = "WS" + "e" * 32
WORKER = "WK" + "f" * 32

# The native header, as Twilio documents it for Access Tokens.
HEADER = {"alg": "HS256", "cty": "twilio-fpa;v=1", "typ": "JWT"}


def b64(data: bytes | str) -> str:
    """Unpadded base64url, as a str."""
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mac(
    signing_input: str | bytes, secret: str = SECRET, digest="sha256"
) -> str:
    """
    The HMAC of *signing_input* as a JWS signature: the suite's one signer,
    for tokens the library refuses to mint (stdlib only, not ours).
    """
    import hmac

    if isinstance(signing_input, str):
        signing_input = signing_input.encode()
    return b64(hmac.new(secret.encode(), signing_input, digest).digest())


def signed(
    header: str | bytes, payload: str | bytes, secret: str = SECRET
) -> str:
    """A compact HS256 JWS of two texts, as they are."""
    signing_input = f"{b64(header)}.{b64(payload)}"
    return f"{signing_input}.{mac(signing_input, secret)}"

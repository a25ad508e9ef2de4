"""
Mint a token, decode it and check it: the library in twenty lines.

Run it with fake credentials (no Twilio account needed):

    python examples/quickstart.py

or with your own in TWILIO_ACCOUNT_SID, TWILIO_API_KEY, TWILIO_API_SECRET.
"""

from twilio_tokens import AccessToken, VideoGrant, VoiceGrant, check, decode
from twilio_tokens.testing import fake_credentials


def main() -> None:
    grants = [VoiceGrant(incoming_allow=True), VideoGrant(room="daily")]
    try:
        token = AccessToken.from_env(identity="alice", grants=grants)
    except LookupError:  # no credentials in the environment: use fake ones
        token = fake_credentials().token(identity="alice", grants=grants)
    jwt = token.to_jwt()
    decoded = decode(jwt, token.api_key_secret)

    print(jwt)
    print("identity:", decoded.identity, "expires in:", decoded.expires_in())
    print("grants:", *decoded.grants, sep="\n  ")
    print(
        "problems:", check(jwt, api_key_secret=token.api_key_secret) or "none"
    )


if __name__ == "__main__":
    main()

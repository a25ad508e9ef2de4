"""
Minting, decoding and import speed, as ratios measured side by side.

    python benchmarks/bench.py [--rounds 7] [--number 2000]

Every case runs in this one process, interleaved round by round, and each
figure is the median of the rounds: absolute times on a shared machine mean
little; ratios measured together mean more. Needs the ``twilio`` package.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import time

from collections.abc import Callable
from typing import Any


ACCOUNT = "AC" + "0123456789abcdef" * 2
KEY = "SK" + "0123456789abcdef" * 2
SECRET = "bench-secret-" * 3  # 39 bytes
APP = "AP" + "a" * 32
SERVICE = "IS" + "b" * 32


def twilio_python_mint() -> str:
    from twilio.jwt.access_token import AccessToken
    from twilio.jwt.access_token.grants import ChatGrant, VoiceGrant

    token = AccessToken(ACCOUNT, KEY, SECRET, identity="alice")
    token.add_grant(ChatGrant(service_sid=SERVICE))
    token.add_grant(
        VoiceGrant(outgoing_application_sid=APP, incoming_allow=True)
    )
    return token.to_jwt()


def ours_mint() -> str:
    return _built().to_jwt()


def floor_mint() -> str:
    """A naive stdlib HS256 encoder writing the same token."""
    now = int(time.time())
    header = {"alg": "HS256", "cty": "twilio-fpa;v=1", "typ": "JWT"}
    payload = {
        "jti": f"{KEY}-{os.urandom(16).hex()}",
        "iss": KEY,
        "sub": ACCOUNT,
        "iat": now,
        "exp": now + 3600,
        "grants": {
            "chat": {"service_sid": SERVICE},
            "voice": {
                "incoming": {"allow": True},
                "outgoing": {"application_sid": APP},
            },
            "identity": "alice",
        },
    }

    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = (
        b64(json.dumps(header, separators=(",", ":"), sort_keys=True).encode())
        + b"."
        + b64(json.dumps(payload, separators=(",", ":")).encode())
    )
    signature = hmac.new(SECRET.encode(), signing_input, hashlib.sha256)
    return (signing_input + b"." + b64(signature.digest())).decode()


def cases() -> dict[str, Callable[[], object]]:
    import jwt

    from twilio.jwt.access_token import AccessToken as TwilioAccessToken
    from twilio_tokens import decode

    built = _built()
    token = ours_mint()
    return {
        "mint: twilio-python": twilio_python_mint,
        "mint: twilio_tokens, built each time": ours_mint,
        "mint: twilio_tokens, to_jwt() only": built.to_jwt,
        "mint: stdlib floor": floor_mint,
        "decode: twilio_tokens.decode": lambda: decode(token, SECRET),
        "decode: jwt.decode": lambda: jwt.decode(
            token, SECRET, algorithms=["HS256"]
        ),
        "decode: twilio-python from_jwt": lambda: TwilioAccessToken.from_jwt(
            token, SECRET
        ),
        "refuse: worst hostile token": lambda: _refused(HOSTILE),
        "read: largest plain token": lambda: _read(LARGEST),
        "read: this token": lambda: _read(token),
        "cli: check a bare token": lambda: _cli_check(token),
        "cli: check the worst wrapped token": lambda: _cli_check(
            WRAPPED.replace("TOKEN", token)
        ),
    }


# The costliest wrapping known for the command line's reading, as long as
# its input may be: quotes and spaces in turn around the token.
WRAPPED = '" ' * 5000 + "TOKEN" + ' "' * 5000


def _cli_check(text: str) -> None:
    import io

    from twilio_tokens._cli import main

    main(["check", "--demo", text], stdout=io.StringIO(), stderr=io.StringIO())


def _b64(data: str) -> str:
    return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()


_HEADER = _b64('{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}')
# The costliest payload known for the pre-signature checks, as big as a
# token may be: nested pairs, a bracket or two per character.
HOSTILE = f"{_HEADER}.{_b64('[[]]' * 3000)}.c2ln"
# A valid token of the same size with as many brackets: a custom grant
# holding small arrays, which every check reads.
LARGEST = (
    f"{_HEADER}.{_b64(json.dumps({'grants': {'x': [[[]]] * 1990}}))}.c2ln"
)


def _refused(token: str) -> None:
    from twilio_tokens import InvalidTokenError, decode_unverified

    try:
        decode_unverified(token)
    except InvalidTokenError:
        return
    msg = "the hostile token was read"
    raise AssertionError(msg)


def _read(token: str) -> None:
    from twilio_tokens import decode_unverified

    decode_unverified(token)


def _built() -> Any:
    from twilio_tokens import AccessToken, ChatGrant, VoiceGrant

    return AccessToken(
        ACCOUNT,
        KEY,
        SECRET,
        identity="alice",
        grants=[
            ChatGrant(service_sid=SERVICE),
            VoiceGrant(outgoing_application_sid=APP, incoming_allow=True),
        ],
    )


def throughput(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return number / (time.perf_counter() - start)


# Installed wheels come with bytecode; an editable checkout may not (and
# PYTHONDONTWRITEBYTECODE would keep it so). Let the children write and
# reuse bytecode, so both sides are measured as installed packages are.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_time(statement: str) -> float:
    code = (
        "import time; t = time.perf_counter(); "
        f"{statement}; print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=_ENV,
    )
    return float(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args(argv)

    todo = cases()
    for fn in todo.values():  # warm caches and imports
        fn()
    import_time("import twilio_tokens")  # writes bytecode once
    rates: dict[str, list[float]] = {name: [] for name in todo}
    imports: dict[str, list[float]] = {"twilio_tokens": [], "jwt, attrs": []}
    for _ in range(args.rounds):
        for name, fn in todo.items():
            rates[name].append(throughput(fn, args.number))
        # Alternate which goes first: the first child after the busy loop
        # above tends to be the slower one.
        pair = [("twilio_tokens", "import twilio_tokens")]
        pair.append(("jwt, attrs", "import jwt, attrs"))
        for _ in range(3):
            for name, statement in pair:
                imports[name].append(import_time(statement))
            pair.reverse()

    median = {name: statistics.median(r) for name, r in rates.items()}
    print(f"{args.rounds} interleaved rounds of {args.number} calls each")
    print(f"python {sys.version.split()[0]}\n")
    for name, rate in median.items():
        print(f"  {name:<40} {rate:>10,.0f} /s")
    twilio = median["mint: twilio-python"]
    floor = median["mint: stdlib floor"]
    built = median["mint: twilio_tokens, built each time"]
    bare = median["mint: twilio_tokens, to_jwt() only"]
    ours_decode = median["decode: twilio_tokens.decode"]
    pyjwt_decode = median["decode: jwt.decode"]
    twilio_decode = median["decode: twilio-python from_jwt"]
    hostile = median["refuse: worst hostile token"]
    largest = median["read: largest plain token"]
    plain = median["read: this token"]
    cli_plain = median["cli: check a bare token"]
    cli_wrapped = median["cli: check the worst wrapped token"]
    ours_import = statistics.median(imports["twilio_tokens"])
    base_import = statistics.median(imports["jwt, attrs"])
    rows = [
        ("(b) mint, built each time / twilio-python", built / twilio, 1.3),
        ("(c) to_jwt() only / stdlib floor", bare / floor, 1.5),
        ("(e) decode / jwt.decode", ours_decode / pyjwt_decode, 1.3),
        (
            "(e) decode / twilio-python from_jwt",
            ours_decode / twilio_decode,
            2.0,
        ),
        (
            "(f) import time / import jwt, attrs",
            ours_import / base_import,
            None,
        ),
    ]
    print(
        "\nthe worst hostile token known, refused before any signature check,"
        f" costs\n  (g) {plain / hostile:.1f}x a read of the token above, "
        f"and {largest / hostile:.2f}x a read of a valid token of its size "
        f"({len(HOSTILE)} bytes)"
    )
    print(
        "  (h) the command line's check of the worst wrapped token costs "
        f"{cli_plain / cli_wrapped:.1f}x its check of the bare token"
    )
    print("\nratios of throughput (higher is better; import: lower is better)")
    for label, ratio, target in rows:
        if target is None:
            verdict = "met" if ratio <= 1.2 else "MISSED"
            goal = "<= 1.20x"
        else:
            verdict = "met" if ratio >= target else "MISSED"
            goal = f">= {target:.2f}x"
        print(f"  {label:<46} {ratio:6.2f}x  (target {goal}: {verdict})")
    print(
        f"\n  import: twilio_tokens {ours_import * 1000:.1f} ms, "
        f"jwt + attrs {base_import * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

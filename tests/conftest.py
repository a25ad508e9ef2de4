"""
Shared constants: fake, valid-format credentials and a fixed clock.

Hypothesis profiles: "default" for local runs; "ci" (what .ci/run sets) the
same examples on every run, so CI never fails by chance; "fuzz"
(HYPOTHESIS_PROFILE=fuzz) for long local runs of the property tests.
"""

import os

from hypothesis import HealthCheck, settings


settings.register_profile(
    "default",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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

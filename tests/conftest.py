"""
Hypothesis profiles for the suite (shared values live in helpers.py).

Profiles: "default" for local runs; "ci" (what .ci/run sets) the
same examples on every run, so CI never fails by chance; "fuzz"
(HYPOTHESIS_PROFILE=fuzz) for long local runs of the property tests.
"""

import os

from hypothesis import HealthCheck, settings


# Property tests are methods of test classes; mutmut's runner calls them
# through other executors, which this health check refuses.
QUIET = [HealthCheck.too_slow, HealthCheck.differing_executors]

settings.register_profile(
    "default",
    max_examples=300,
    deadline=None,
    suppress_health_check=QUIET,
)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=QUIET,
)
settings.register_profile(
    "fuzz",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

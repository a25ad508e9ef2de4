"""
The benchmark script runs (timings are never asserted here).
"""

import sys

from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

import bench


def test_benchmark_script_runs_and_reports_every_ratio(capsys):
    """
    A tiny run prints each case and each target's ratio, so the script cannot rot.
    """
    assert 0 == bench.main(["--rounds", "1", "--number", "3"])
    out = capsys.readouterr().out

    for label in (
        "(b) mint, built each time / twilio-python",
        "(c) to_jwt() only / stdlib floor",
        "(e) decode / jwt.decode",
        "(f) import time / import jwt, attrs",
        "(g) ",
        "(h) ",
    ):
        assert label in out


def test_floor_and_ours_write_the_same_claims():
    """
    The stdlib floor encodes the very token twilio_tokens mints.
    """
    import jwt

    ours = jwt.decode(bench.ours_mint(), bench.SECRET, algorithms=["HS256"])
    floor = jwt.decode(bench.floor_mint(), bench.SECRET, algorithms=["HS256"])
    twilio = jwt.decode(
        bench.twilio_python_mint(), bench.SECRET, algorithms=["HS256"]
    )

    assert ours["grants"] == floor["grants"] == twilio["grants"]
    assert [k for k in ours if k != "jti"] == [k for k in floor if k != "jti"]

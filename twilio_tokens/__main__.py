"""
``python -m twilio_tokens``: the same as the ``twilio-tokens`` command.
"""

from ._cli import run


run()

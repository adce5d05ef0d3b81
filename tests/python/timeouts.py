"""Timeouts for the subprocesses the tests start (the CLI, the examples, the replay tools).

A timeout there guards against a hang, not against slowness, so it scales with the
machine: ``SOLEUS_TEST_TIMEOUT_SCALE`` (a factor, default 1) multiplies every one.
scripts/test_wheel_qemu.sh sets it, because an emulated CPU runs the interpreter
about 20 times slower than the host (docs/cpp.md, "Python packages that travel"),
and a CLI run that takes 15 s natively would hit a 300 s limit there.
"""
import os


def scaled(seconds: float) -> float:
    """``seconds`` times ``SOLEUS_TEST_TIMEOUT_SCALE`` (which must be a positive number)."""
    text = os.environ.get("SOLEUS_TEST_TIMEOUT_SCALE", "1")
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(f"SOLEUS_TEST_TIMEOUT_SCALE must be a number, got {text!r}") from None
    if not factor > 0:
        raise ValueError(f"SOLEUS_TEST_TIMEOUT_SCALE must be > 0, got {text!r}")
    return seconds * factor

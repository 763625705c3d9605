"""qifgap._jit: numba generates code for the host's full vector width (512-bit on AVX-512)."""

from __future__ import annotations

import os
import subprocess
import sys

import llvmlite.binding as llvm
import pytest

from qifgap._jit import full_width_features

HOST = llvm.get_host_cpu_features().flatten()
AVX512 = "+avx512f" in HOST.split(",")

# a fresh process: compile a reduction after importing `first`, print the features numba used
# and whether its machine code holds 512-bit registers
PROBE = """
import {first}
import numpy as np
from numba import njit
from numba.core import config

@njit(fastmath=True)
def total(x):
    s = 0.0
    for v in x:
        s += v * v
    return s

total(np.ones(64))
print(config.CPU_FEATURES)
print("zmm" in total.inspect_asm(total.signatures[0]))
"""


def probe(first: str, **env) -> tuple[str, bool]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CPU")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(first=first)],
        capture_output=True, text=True, check=True, env={**environ, **env},
    ).stdout.split("\n")  # fmt: skip
    return out[0], out[1] == "True"


def test_features_switch_off_the_256_bit_preference_only_with_avx512():
    assert full_width_features("+avx2,+avx512f,+fma") == "+avx2,+avx512f,+fma,-prefer-256-bit"
    # an explicit preference is replaced, not duplicated
    assert full_width_features("+avx512f,+prefer-256-bit,+sse2") == (
        "+avx512f,+sse2,-prefer-256-bit"
    )
    assert full_width_features("+avx2,-avx512f,+fma") is None
    assert full_width_features("") is None


@pytest.mark.skipif(not AVX512, reason="the host has no AVX-512")
def test_qifgap_modules_get_512_bit_vectors():
    for first in ("qifgap.kernels", "qifgap.noise", "qifgap.bifurcation.integrator"):
        features, zmm = probe(first)
        assert features == full_width_features(HOST), first
        assert zmm, first


def test_the_default_width_without_qifgap_and_the_users_choice_kept():
    features, _ = probe("numpy")  # numba alone: untouched (LLVM's own tuning for the host)
    assert features == "None"
    mine = HOST.replace("+avx512f", "-avx512f")  # a user's explicit feature string
    features, zmm = probe("qifgap.kernels", NUMBA_CPU_FEATURES=mine)
    assert features == mine and not zmm


@pytest.mark.skipif(not AVX512, reason="the host has no AVX-512")
def test_numba_already_initialised_keeps_its_width():
    first = "numba; numba.njit(lambda x: x)(1); import qifgap.kernels"
    features, _ = probe(first)
    assert features == "None"  # too late to change: numba's target exists

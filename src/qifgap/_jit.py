"""numba's code generation for qifgap: vectors of the host's full width.

LLVM tunes code for processors with 512-bit vectors (AVX-512) to use 256-bit ones (its
``prefer-256-bit`` tuning feature, chosen for the first such processors, whose clock dropped
on 512-bit instructions). The network kernel's loop over a chunk is pure vector arithmetic, and
512-bit vectors run it faster: 0.43 against 0.59 ns per neuron-step on one thread at N = 10⁵
(§6's E–I model and one population alike; Xeon Emerald Rapids, ``benchmarks/kernel.py``).

numba fixes the code-generation features once per process, when its CPU target is created,
which the first ``@njit`` decoration does. Every qifgap module that defines numba functions
imports this module first, so in a process that meets qifgap's numba code before any other it
generates code for the host's features without ``prefer-256-bit``. Nothing changes on a host
without AVX-512, when ``NUMBA_CPU_NAME`` or ``NUMBA_CPU_FEATURES`` is set (the user's choice,
e.g. ``NUMBA_CPU_FEATURES="$(python -c 'import llvmlite.binding as b;
print(b.get_host_cpu_features().flatten())')"`` to keep LLVM's 256-bit preference), or when
numba's target already exists (another library compiled first: the default width stays). The
vector width changes the summation order inside a chunk, so results agree with those of the
other width to rounding, not bit for bit; for a given machine and configuration they stay
deterministic and independent of the thread count.
"""

from __future__ import annotations

from numba.core import config
from numba.core.registry import cpu_target

PREFER_256 = "prefer-256-bit"  # LLVM's x86 tuning feature


def full_width_features(host_features: str) -> str | None:
    """``host_features`` (LLVM's ``+a,-b,…`` string) with the 256-bit preference switched off,
    or None if the host has no 512-bit vectors."""
    features = host_features.split(",")
    if "+avx512f" not in features:
        return None
    kept = [f for f in features if f.lstrip("+-") != PREFER_256]
    return ",".join([*kept, "-" + PREFER_256])


def configure() -> str | None:
    """Ask numba for the host's full vector width; return the features set, or None if left
    alone (see the module docstring)."""
    if config.CPU_NAME is not None or config.CPU_FEATURES is not None:
        return None
    if "_toplevel_target_context" in cpu_target.__dict__:  # numba's target exists already
        return None
    from llvmlite import binding

    features = full_width_features(binding.get_host_cpu_features().flatten())
    if features is not None:
        config.CPU_FEATURES = features
    return features


configure()

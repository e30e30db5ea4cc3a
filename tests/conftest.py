"""Shared test setup.

One BLAS thread per process. The nbval kernels inherit this process's environment, and on a
2-core machine a kernel whose OpenBLAS/OpenMP/MKL pool starts a thread per core fights pytest
(and the next kernel) for the same cores: the notebooks then run 3-5x slower for no gain, since
the lessons' arrays are tiny. Set at import, before any kernel starts; setdefault keeps a value
the caller chose on purpose.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

#!/usr/bin/env bash
# Everything a session with a GPU machine should run, in one command (the
# device time is short): versions, the GPU copies of the tests (each
# function's CuPy path against its NumPy result), and the GPU benchmark
# against PyTorch. Results go to $OUT (default ./gpu_out):
#   versions.txt, gpu_tests.log, gpu_models.md, gpu_models.json
#
#   bash tools/gpu_check.sh [--tests-only | --bench-only] [pytest args...]
#
# Needs CuPy, PyTorch (CUDA build), pytest, pytest-xdist, scipy, h5py and
# Pillow in the interpreter `python3` (the GPU machine's image has them);
# dynet runs from this checkout (PYTHONPATH), nothing is installed.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-gpu_out}
mkdir -p "$OUT"
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1
mode=all
case "${1:-}" in
    --tests-only) mode=tests; shift ;;
    --bench-only) mode=bench; shift ;;
esac

{
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
    python3 -c "import cupy, numpy, sys; print('python', sys.version.split()[0], 'numpy', numpy.__version__, 'cupy', cupy.__version__, 'CUDA runtime', cupy.cuda.runtime.runtimeGetVersion())"
    python3 -c "import torch; print('torch', torch.__version__, torch.version.cuda)"
} > "$OUT/versions.txt" 2>&1
cat "$OUT/versions.txt"

status=0
if [ "$mode" != bench ]; then
    # -m gpu selects the GPU copies that inject_backend_tests / attr.gpu
    # mark; the CPU suite is CI's job.
    python3 -m pytest tests -m 'gpu or cudnn' -q -n 8 -p no:cacheprovider \
        --timeout=600 "$@" 2>&1 | tee "$OUT/gpu_tests.log" | tail -40
    status=${PIPESTATUS[0]}
fi
if [ "$mode" != tests ]; then
    python3 benchmarks/gpu_models.py --json-out "$OUT/gpu_models.json" \
        2>&1 | tee "$OUT/gpu_models.md"
fi
exit "$status"

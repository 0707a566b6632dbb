#!/usr/bin/env bash
# GPU readiness check: GLOSSA_DEVICE=cuda with CTranslate2's CUDA build.
#
# Run from the repository root on a machine with an NVIDIA GPU (nothing in Glossa depends on one;
# CI never has one). It installs what it needs into .venv-gpu, then:
#   1. checks that CTranslate2 sees a CUDA device,
#   2. runs the engine-facing tests with GLOSSA_DEVICE=cuda (demo models on the GPU),
#   3. runs the library benchmark (Argos-sized random model) on the GPU and, for comparison,
#      on the CPU, writing both tables to $OUT (or ./device-check-out).
# Usage: scripts/device_check.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-device-check-out}"
mkdir -p "$out"
quick=0
[ "${1:-}" = "--quick" ] && quick=1

python3 -m venv .venv-gpu
py=.venv-gpu/bin/python
$py -m pip install -q --upgrade pip
# ctranslate2's Linux wheels are built with CUDA 12; the cuBLAS/cuDNN runtime comes from NVIDIA's
# wheels when the host has no system CUDA. torch is not needed (the `train` extra is not installed).
$py -m pip install -q -e '.[test,bench]' nvidia-cublas-cu12 'nvidia-cudnn-cu12>=9,<10'
site=$($py -c 'import site; print(site.getsitepackages()[0])')
export LD_LIBRARY_PATH="$site/nvidia/cublas/lib:$site/nvidia/cudnn/lib:${LD_LIBRARY_PATH:-}"

{
  echo "# device check $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  $py -c 'import ctranslate2; print("ctranslate2", ctranslate2.__version__, "cuda devices:", ctranslate2.get_cuda_device_count()); print("cuda compute types:", sorted(ctranslate2.get_supported_compute_types("cuda")))'
} | tee "$out/device.txt"
$py -c 'import ctranslate2, sys; sys.exit(0 if ctranslate2.get_cuda_device_count() > 0 else 1)' \
  || { echo "no CUDA device visible to CTranslate2" >&2; exit 1; }

# 2. The tests that load models through the engine, on the GPU.
GLOSSA_DEVICE=cuda $py -m pytest -q -p no:cacheprovider tests/test_engine.py tests/test_pipeline_demo.py \
  2>&1 | tee "$out/tests-cuda.txt"

# 3. Library benchmark: GPU, then CPU, same corpus and model.
articles=20; reps=5
[ "$quick" = 1 ] && { articles=6; reps=2; }
[ -e .venv ] || ln -s .venv-gpu .venv  # the bench runs its contenders with .venv/bin/python
GLOSSA_DEVICE=cuda GLOSSA_COMPUTE_TYPE=int8_float16 ARGOS_DEVICE_TYPE=cuda \
  $py scripts/bench.py library --articles "$articles" --reps "$reps" --markdown 2>&1 | tee "$out/library-cuda.md"
$py scripts/bench.py library --articles "$articles" --reps "$reps" --markdown 2>&1 | tee "$out/library-cpu.md"
echo "results in $out/"

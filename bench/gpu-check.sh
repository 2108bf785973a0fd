#!/usr/bin/env bash
# GPU check (issue #5): on a machine with an NVIDIA GPU and onnxruntime-node's CUDA
# provider installed (`ONNXRUNTIME_NODE_INSTALL=cuda12 npm install`, CUDA 12 + cuDNN 9),
# run featureMaps on a ResNet-18-sized model on CUDA and on CPU, and print the
# provider that really ran and the latency of each.
#   bench/gpu-check.sh [model.onnx [input shape]]   (default: bench/.models/resnet18.onnx, made with torch; 1,3,224,224)
set -euo pipefail
cd "$(dirname "$0")/.."

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || { echo "gpu-check: nvidia-smi failed: no NVIDIA GPU or driver here" >&2; exit 2; }
cuda_lib=$(ls node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so 2>/dev/null || true)
[ -n "$cuda_lib" ] || echo "gpu-check: onnxruntime-node's CUDA provider is not installed; expect a fallback to CPU (install with ONNXRUNTIME_NODE_INSTALL=cuda12 npm install)" >&2

model="${1:-bench/.models/resnet18.onnx}"
if [ ! -f "$model" ]; then
  python=${PYTHON:-/usr/bin/python3}
  echo "gpu-check: generating $model with $python (torch)" >&2
  "$python" bench/make-models.py bench/.models
fi
[ -d packages/server/dist ] || npm run build
exec node --import tsx bench/gpu-check.ts "$model" "${2:-1,3,224,224}"

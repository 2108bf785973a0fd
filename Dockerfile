# cnnvis on a GPU box: `docker compose up` (see docker-compose.yml and the README).
# Stage 1 builds the workspaces with Node 20 and installs ONNX Runtime's CUDA
# provider libraries; stage 2 runs them on NVIDIA's CUDA 12 + cuDNN 9 runtime,
# which is what onnxruntime-node's CUDA execution provider (1.19 and later) needs.

ARG NODE_IMAGE=node:20-bookworm
ARG CUDA_IMAGE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The repo's .npmrc skips the CUDA download (dev machines have no GPU); this
# variable wins over it, so the image gets libonnxruntime_providers_cuda.so.
ENV ONNXRUNTIME_NODE_INSTALL=cuda12
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/worker/package.json packages/worker/
COPY packages/server/package.json packages/server/
COPY packages/client/package.json packages/client/
COPY packages/web/package.json packages/web/
COPY examples/package.json examples/
RUN npm ci --ignore-scripts \
 && npm rebuild better-sqlite3 onnxruntime-node esbuild @swc/core
COPY packages packages
RUN npm run build \
 && npm prune --omit=dev \
 && ls node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so

FROM ${NODE_IMAGE} AS node

FROM ${CUDA_IMAGE} AS runtime
# Node 20 from the official image: one static-enough binary, glibc-compatible with Ubuntu 24.04.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN groupadd --system cnnvis \
 && useradd --system --gid cnnvis --home-dir /home/cnnvis --create-home cnnvis \
 && mkdir -p /data && chown cnnvis:cnnvis /data
WORKDIR /app
COPY --from=build --chown=cnnvis:cnnvis /app/package.json ./
COPY --from=build --chown=cnnvis:cnnvis /app/node_modules node_modules
COPY --from=build --chown=cnnvis:cnnvis /app/packages packages
# node_modules/.bin on the PATH: `command: cnnvis-worker` (docker-compose.cluster.yml) names a package's command.
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    CNNVIS_HOST=0.0.0.0 \
    CNNVIS_PORT=8097 \
    CNNVIS_DATA_DIR=/data \
    CNNVIS_PROVIDER=auto \
    CNNVIS_NO_AUTO_BUILD=1
USER cnnvis
VOLUME ["/data"]
EXPOSE 8097
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.CNNVIS_PORT||8097)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A remote GPU worker is the same image with `command: cnnvis-worker` (see the README).
CMD ["node", "packages/server/bin/cnnvis-server.js"]

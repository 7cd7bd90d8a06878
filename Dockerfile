# The sandbox as a container: non-root, configured with SANDBOX_* variables, healthy once
# /__sandbox/health answers. Node 22 LTS (the package itself runs on Node 20.19+, as "engines" says).
# NODE_IMAGE: the same image from your own registry mirror (--build-arg NODE_IMAGE=mirror.example/node:22-bookworm-slim).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first: a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY fixtures ./fixtures
COPY scenarios ./scenarios
COPY schemas ./schemas
COPY ui ./ui
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8848
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/fixtures ./fixtures
COPY --from=build --chown=node:node /app/scenarios ./scenarios
COPY --from=build --chown=node:node /app/schemas ./schemas
COPY --from=build --chown=node:node /app/ui ./ui
USER node
EXPOSE 8848
# health reads SANDBOX_PORT too, so a container started with another port is probed on it.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 CMD ["node", "bin/sandbox.js", "health"]
# SANDBOX_HOST=0.0.0.0 so other containers reach it: the control plane then needs the admin token
# (SANDBOX_ADMIN_TOKEN, or the one printed at start). Other options: SANDBOX_FIXTURES, SANDBOX_TLS, ...
CMD ["node", "bin/sandbox.js", "start"]

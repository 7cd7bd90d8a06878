# The sandbox as a docker-compose service: non-root, healthy once /__sandbox/health answers.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY fixtures ./fixtures
COPY scenarios ./scenarios
COPY schemas ./schemas
COPY ui ./ui
RUN npm install --no-audit --no-fund && npm prune --omit=dev && chown -R node:node /app
USER node
EXPOSE 8848
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 CMD ["node", "bin/sandbox.js", "health", "--port", "8848"]
# 0.0.0.0 so other containers reach it; the control plane then requires the admin token printed at start.
CMD ["node", "bin/sandbox.js", "start", "--host", "0.0.0.0", "--port", "8848"]

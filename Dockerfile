# syntax=docker/dockerfile:1
# atomsync's container image: multi-stage, non-root, production dependencies only.
#   docker build -t ghcr.io/atomsync/atomsync:0.1.0 .
#   docker run --rm ghcr.io/atomsync/atomsync:0.1.0 --help
# The default command is the controller: `atomsync run --config /etc/atomsync/atomsync.yaml`
# (examples/kubernetes/install/deployment.yaml mounts the config there from a ConfigMap).

# --- build: compile TypeScript with the dev dependencies ------------------------------------------------
FROM node:20-slim AS build
WORKDIR /app
# Dependencies first, so a source change does not reinstall them. --ignore-scripts: `prepare` would build
# before the sources are here; the build is its own step below.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code, production dependencies, the CRD and the examples (demo scenario) ----------
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Everything stays owned by root and read-only for the `node` user the process runs as.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/controller ./dist/controller
COPY --from=build /app/dist/simulator ./dist/simulator
COPY --from=build /app/bin ./bin
COPY --from=build /app/crds ./crds
COPY --from=build /app/examples ./examples
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/atomsync.js"]
CMD ["run", "--config", "/etc/atomsync/atomsync.yaml"]

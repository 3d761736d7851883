# The API with the built client, on one port. Used by docker-compose.yml.
#
# Two stages: the first installs everything (with the postgres.js patch, patches/), builds
# the client and compiles the server into two files (api/dist/server.js and the matching
# worker, api/dist/worker.js; esbuild, `npm run build:server`). The second holds only what
# runs: the compiled server, the built client, the migrations, and node_modules with the two
# packages the bundle leaves outside (sharp's native library, PGlite's WebAssembly), at the
# locked versions. No dev dependency, no tsx, no TypeScript source; it runs as `node`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY patches/ patches/
COPY shared/package.json shared/
COPY db/package.json db/
COPY api/package.json api/
COPY client/package.json client/
COPY tests/package.json tests/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build --workspace client && npm run build:server
# The runtime's own package.json: ESM, and the externals at the versions the lock installed.
RUN mkdir /runtime && node -e " \
  const v = (p) => require('/app/node_modules/' + p + '/package.json').version; \
  require('fs').writeFileSync('/runtime/package.json', JSON.stringify({ name: 'edgewise', private: true, type: 'module', \
    dependencies: { sharp: v('sharp'), '@electric-sql/pglite': v('@electric-sql/pglite') } }, null, 2));" \
  && cd /runtime && npm install --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /runtime/package.json ./
COPY --from=build /runtime/node_modules node_modules/
COPY --from=build /app/api/dist api/dist/
COPY --from=build /app/db/migrations db/migrations/
COPY --from=build /app/client/dist client/dist/
# Embedded PGlite's data when DATABASE_URL is unset (mount a volume here to keep it).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Ready: the database answers, migrations are applied, and the node is not stopping.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: readiness fails, requests in flight finish, the matching lease is handed over,
# sockets close so clients reconnect elsewhere, and the process exits (within 10 s).
STOPSIGNAL SIGTERM
CMD ["node", "api/dist/server.js"]

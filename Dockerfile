# One image per app, all built from this file: `docker build --target <app>`.
# The images share every layer but the last (their bundle), so building
# and pulling all of them costs about the same as one, and each image, its name
# and its start command say which app it is (`docker ps`, `kubectl get pods`,
# registry scanners and rollbacks all see one app per image).
#
# The install and build commands are the ones CI runs (`npm ci`, `npm run
# build`); test/deploy/dockerfile.spec.ts keeps them that way.

# Node 24, the active LTS and the major CI tests on besides the machine's own
# (scripts/ci/with-node.sh); Debian 13 (glibc, as on the CI machine), so the
# same prebuilt binaries of the build tools install.
ARG NODE_VERSION=24.22
# npm 11 honours package.json's "allowScripts" (no dependency install scripts), as in CI.
ARG NPM_VERSION=11.19.1

FROM node:${NODE_VERSION}-trixie-slim AS toolchain
ARG NPM_VERSION
# Behind a proxy that re-signs TLS, npm trusts the extra CA certificates (PEM)
# handed to the build as the optional secret ca-certificates: docker-compose.yml
# passes the file named by BUILD_EXTRA_CA_CERTS, `docker build` takes
# `--secret id=ca-certificates,src=<file>`. Without it the file stays empty and
# nothing changes. A secret mount, so that no layer keeps the file.
ENV npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false \
    NODE_EXTRA_CA_CERTS=/usr/local/etc/build-ca-certificates.pem
RUN touch /usr/local/etc/build-ca-certificates.pem
RUN --mount=type=secret,id=ca-certificates,target=/usr/local/etc/build-ca-certificates.pem \
    npm install --global npm@${NPM_VERSION}
WORKDIR /app
COPY package.json package-lock.json ./

# Everything `npm run build` needs, then the bundles dist/apps/<app>/main.js.
FROM toolchain AS build
RUN --mount=type=secret,id=ca-certificates,target=/usr/local/etc/build-ca-certificates.pem \
    npm ci
COPY tsconfig.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
COPY scripts/provision-nats ./scripts/provision-nats
RUN npm run build

# The bundles keep node_modules external: production dependencies only.
FROM toolchain AS production-dependencies
RUN --mount=type=secret,id=ca-certificates,target=/usr/local/etc/build-ca-certificates.pem \
    npm ci --omit=dev

FROM node:${NODE_VERSION}-trixie-slim AS runtime
# tini as PID 1 forwards SIGTERM to Node (which drains and exits 0) and also
# ends Node during start-up, before its own handler exists.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    LOG_FORMAT=json
# package.json's "type": "module" makes Node load the bundles as ES modules.
# Owned by root (COPY's default) and read-only to the app's user.
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
# `npm run provision:nats` as a bundle, in every image: compose and Kubernetes
# run it (node dist/scripts/provision-nats/main.js) before the apps start.
COPY --from=build /app/dist/scripts/provision-nats ./dist/scripts/provision-nats
# The image's own "node" user, by number so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]
# Ready means the app can serve its HTTP API (503 otherwise): its database
# answers. NATS, streams and consumers are reported in the body, not required.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

FROM runtime AS orders
ENV PORT=3001
COPY --from=build /app/dist/apps/orders ./dist/apps/orders
EXPOSE 3001
CMD ["node", "dist/apps/orders/main.js"]

FROM runtime AS payments
ENV PORT=3002
COPY --from=build /app/dist/apps/payments ./dist/apps/payments
EXPOSE 3002
CMD ["node", "dist/apps/payments/main.js"]

FROM runtime AS shipping
ENV PORT=3003
COPY --from=build /app/dist/apps/shipping ./dist/apps/shipping
EXPOSE 3003
CMD ["node", "dist/apps/shipping/main.js"]

FROM runtime AS notifications
ENV PORT=3004
COPY --from=build /app/dist/apps/notifications ./dist/apps/notifications
EXPOSE 3004
CMD ["node", "dist/apps/notifications/main.js"]

FROM runtime AS flow-view
ENV PORT=3005
COPY --from=build /app/dist/apps/flow-view ./dist/apps/flow-view
EXPOSE 3005
CMD ["node", "dist/apps/flow-view/main.js"]

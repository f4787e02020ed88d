# syntax=docker/dockerfile:1
# licensectl for pipelines that are not Node-based (Azure DevOps, GitLab, Jenkins):
#   docker build -t licensectl .
#   docker run --rm -v "$PWD:/work" -e AZURE_TENANT_ID -e AZURE_CLIENT_ID -e AZURE_CLIENT_SECRET \
#     licensectl plan -m manifests --detailed-exitcode
# The image holds the CLI and its runtime dependencies only, runs as the
# unprivileged `node` user, and reads the manifests from /work.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The lockfile's exact versions; `prepare` (the build) runs below, once the sources are in.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
COPY data ./data
COPY examples ./examples
RUN npx tsc -p tsconfig.build.json \
  && chmod 0755 dist/cli/main.js \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
ARG REVISION=unknown
LABEL org.opencontainers.image.title="licensectl" \
  org.opencontainers.image.description="Microsoft 365 / Entra ID licenses as code" \
  org.opencontainers.image.licenses="MIT" \
  org.opencontainers.image.revision="${REVISION}"
ENV NODE_ENV=production
WORKDIR /opt/licensectl
# Owned by root and read-only to the user the tool runs as.
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/schemas ./schemas
COPY --from=build /src/data ./data
COPY --from=build /src/examples ./examples
RUN ln -s /opt/licensectl/dist/cli/main.js /usr/local/bin/licensectl
USER node
WORKDIR /work
ENTRYPOINT ["licensectl"]
CMD ["--help"]

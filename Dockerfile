# The API on Node 20: the server bundled by esbuild (as `npm start` does), run by node alone.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN node scripts/build.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY fixtures ./fixtures
COPY data ./data
USER node
EXPOSE 3000
ENV HOST=0.0.0.0 PORT=3000
# node directly (not npm or npx) so that SIGTERM reaches the server and it shuts down gracefully.
# An administrator key: docker compose exec api node dist/create-admin-key.js "name"
CMD ["node", "dist/server.js"]

# The API on Node 20. Runs TypeScript through tsx, as `npm start` does.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm install --no-save --no-audit --no-fund tsx@4
COPY tsconfig.json drizzle.config.ts ./
COPY src ./src
COPY migrations ./migrations
COPY fixtures ./fixtures
COPY data ./data
USER node
EXPOSE 3000
ENV HOST=0.0.0.0 PORT=3000
# node directly (not npm or npx) so that SIGTERM reaches the server and it shuts down gracefully.
CMD ["node", "--import", "tsx", "src/server.ts"]

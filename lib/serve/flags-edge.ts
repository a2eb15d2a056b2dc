import http from "node:http";
import { recordFlagEvaluations } from "../data/flags/seen";
import { env } from "../env";
import { createFlagHandler } from "./flags";
import { startEvaluationRecorder } from "./seen";
import { startSnapshotSource } from "./snapshot-source";

// `npm run flags-edge`: the flag evaluation service on its own, without pages, for teams that put
// it next to their applications. Needs DATABASE_URL (a PostgreSQL server); listens on
// GREENLIGHT_FLAGS_HOST:GREENLIGHT_FLAGS_PORT (0.0.0.0:3100). Any path but the flag endpoints is 404.

const settings = env();
if (!settings.DATABASE_URL) {
  console.error("flags-edge: DATABASE_URL is not set (it reads the flags of a PostgreSQL server)");
  process.exit(1);
}

const source = await startSnapshotSource({ listenUrl: settings.DATABASE_URL });
const recorder = startEvaluationRecorder({
  write: recordFlagEvaluations,
  flushEveryMs: settings.GREENLIGHT_FLAG_SEEN_FLUSH_MS,
});
const handleFlags = createFlagHandler(source, recorder);
const notFound = Buffer.from(
  JSON.stringify({ error: "not_found", message: "Flags are at /api/v1/flags and /ofrep/v1" }),
);
const server = http.createServer((req, res) => {
  if (handleFlags(req, res)) return;
  res.writeHead(404, { "Content-Type": "application/json", "Content-Length": notFound.length });
  res.end(notFound);
});
server.keepAliveTimeout = 65_000;
server.listen(settings.GREENLIGHT_FLAGS_PORT, settings.GREENLIGHT_FLAGS_HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : settings.GREENLIGHT_FLAGS_PORT;
  // the line tests and scripts wait for
  console.log(`flags-edge: listening on port ${port} (pid ${process.pid})`);
});

const stop = () => {
  server.close();
  server.closeIdleConnections();
  // what was evaluated since the last flush is written before the process goes
  void Promise.allSettled([recorder.stop(), source.stop()]).finally(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

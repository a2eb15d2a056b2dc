import http from "node:http";
import type { AddressInfo } from "node:net";
import { createFlagHandler, prepare } from "../serve/flags";
import { startSnapshotSource } from "../serve/snapshot-source";
import { loadFlagSnapshot } from "../data/flags/snapshot";
import { recordFlagEvaluations } from "../data/flags/seen";
import { startEvaluationRecorder } from "../serve/seen";

// The server under load in `npm run bench:flags`, in a process of its own (forked, compiled):
//   greenlight  the flag evaluation service as flags-edge runs it (snapshot source + handler +
//               evaluation recorder)
//   bare        a node:http server that answers every request with the same bytes and headers as
//               Greenlight's GET for BENCH_FLAGS_ENVIRONMENT, and nothing else: the ceiling
// Tells its parent the port over IPC.

const mode = process.argv[2];
const environment = process.env.BENCH_FLAGS_ENVIRONMENT ?? "production";
let handler: http.RequestListener;
if (mode === "greenlight") {
  const source = await startSnapshotSource({ listenUrl: process.env.DATABASE_URL });
  // evaluations are recorded as flags-edge records them (flushed every 10 s by default)
  const recorder = startEvaluationRecorder({
    write: recordFlagEvaluations,
    flushEveryMs: Number(process.env.GREENLIGHT_FLAG_SEEN_FLUSH_MS ?? 10_000),
  });
  const handleFlags = createFlagHandler(source, recorder);
  handler = (req, res) => {
    if (handleFlags(req, res)) return;
    res.writeHead(404);
    res.end();
  };
} else if (mode === "bare") {
  const entry = prepare(await loadFlagSnapshot()).list.get(environment);
  if (!entry) throw new Error(`no environment ${environment}`);
  const headers = {
    "Content-Type": "application/json",
    "Content-Length": entry.body.length,
    ETag: entry.etag,
    "Cache-Control": "private, max-age=300",
  };
  handler = (_req, res) => {
    res.writeHead(200, headers);
    res.end(entry.body);
  };
} else throw new Error("usage: bench-flags-server.ts greenlight|bare");

const server = http.createServer(handler);
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on("disconnect", () => process.exit(0));

import http from "node:http";
import { closeDb } from "../db";
import { env } from "../env";
import { takeServerSignals } from "../jobs/server-stop";
import { installPeerAddress } from "../peer-address";
import { createFlagHandler } from "../serve/flags";
import { startSnapshotSource } from "../serve/snapshot-source";
import { startEvaluationRecorder } from "../serve/seen";
import { recordFlagEvaluations } from "../data/flags/seen";
import { onParentGone } from "./parent";

// The web server `npm start` runs (lib/cli/start.ts spawns it, compiled with --next-server): one
// node:http server on PORT that answers the flag evaluation paths from the lean handler
// (lib/serve/flags.ts, thousands of requests a second from memory) and hands every other request
// to Next.js, in this one process (a Next custom server). The launcher owns the database.
//
//   node lib/cli/compiled.mjs --next-server lib/cli/app-server.ts [--dev] [--embedded]
//
// --embedded: the database is the launcher's PGlite, which serves one connection: the flags are
// then kept current by the version check alone (no LISTEN connection), on the one pool this
// process shares with Next's code (lib/db.ts keeps it on globalThis).
//
// Stopping (SIGTERM, SIGINT): the deploy worker that instrumentation started takes no new deploy
// and running ones finish within the grace period while pages and flags keep serving (a second
// signal ends that wait); then the server closes, the flag source stops, and the process exits.
// It does the same when the launcher is gone (killed outright), rather than hold PORT for nobody.

const dev = process.argv.includes("--dev");
const embedded = process.argv.includes("--embedded");
const settings = env();
if (!settings.DATABASE_URL) {
  console.error("app-server: DATABASE_URL is not set (start Greenlight with `npm start`)");
  process.exit(1);
}

// taken before Next starts: instrumentation hands its stop step to this process
const stopSteps = takeServerSignals();
// the client's address is read from what this stamps (also installed by instrumentation)
installPeerAddress();

const source = await startSnapshotSource({ listenUrl: embedded ? undefined : settings.DATABASE_URL });
// when each flag was last served, written in batches off the request path (stale flags)
const recorder = startEvaluationRecorder({
  write: recordFlagEvaluations,
  flushEveryMs: settings.GREENLIGHT_FLAG_SEEN_FLUSH_MS,
});
const handleFlags = createFlagHandler(source, recorder);

const server = http.createServer();
server.keepAliveTimeout = 65_000;
// Next's own `next` package resolves normally here: this process runs without react-server
const { default: next } = await import("next");
const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: settings.PORT, httpServer: server });
await app.prepare();
const handleNext = app.getRequestHandler();
server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (handleFlags(req, res)) return;
  handleNext(req, res).catch((e: unknown) => {
    console.error(e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
await new Promise<void>((resolve) => server.listen(settings.PORT, resolve));
// the line tests wait for
console.log(
  `app-server: listening on port ${settings.PORT} (pid ${process.pid}; flags at /api/v1/flags and /ofrep/v1)`,
);

let stopping: Promise<void> | null = null;
const onSignal = (signal: NodeJS.Signals) => {
  // a second signal: the steps hurry (the deploy worker cuts running deploys off)
  const steps = Promise.allSettled(stopSteps.map((step) => step(signal)));
  stopping ??= steps.then(closeEverything).finally(() => process.exit(0));
};
process.on("SIGTERM", onSignal);
process.on("SIGINT", onSignal);
// the launcher killed outright: nobody owns this server (nor, when embedded, its database) any more
onParentGone(() => {
  console.error("app-server: the launcher is gone: stopping");
  onSignal("SIGTERM");
});

async function closeEverything(): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // open streams (live refresh, SSE, the dev server's hot reload socket) get a moment, then are cut
  const cut = setTimeout(() => server.closeAllConnections(), 2_000);
  await bounded("the HTTP server", closed);
  clearTimeout(cut);
  await bounded("the evaluation recorder", recorder.stop());
  await bounded("the flag source", source.stop());
  await bounded("Next.js", app.close());
  await bounded("the database pool", closeDb());
}

/** Waits for one part to close, at most 5 s: a part that hangs must not keep the process alive. */
async function bounded(part: string, closing: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`app-server: ${part} did not close within 5 s; exiting anyway`);
      resolve();
    }, 5_000);
  });
  await Promise.race([closing.catch((e: unknown) => console.error(`app-server: closing ${part}: ${String(e)}`)), late]);
  clearTimeout(timer);
}

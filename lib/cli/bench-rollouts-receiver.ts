import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

// The webhook receiver of `npm run bench:rollouts`, run as a child process so that its work
// (verifying 200-odd signatures) neither shares the event loop nor inflates the RSS the benchmark
// measures for Greenlight. It verifies every event with the reference Standard Webhooks library,
// as a customer's receiver would, finishes each step in its reply (no callbacks) and tells the
// parent over IPC when each event arrived.

export interface Arrival {
  deploymentId: string;
  action: string;
  index: number;
  trafficPercent: number;
  /** Date.now() when the whole request had arrived, before it was verified */
  at: number;
}

export type ReceiverMessage =
  { type: "ready"; url: string } | { type: "arrival"; arrival: Arrival } | { type: "refused"; reason: string };

interface StepEvent {
  deployment: { id: string };
  step: { action: string; index: number; trafficPercent: number };
}

const send = (message: ReceiverMessage) => process.send?.(message);

const secretVar = process.env.BENCH_RECEIVER_SECRET_VAR ?? "";
const secret = process.env[secretVar];
if (!secret) {
  console.error(`bench receiver: ${secretVar || "BENCH_RECEIVER_SECRET_VAR"} is not set`);
  process.exit(1);
}
const webhook = new Webhook(secret);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const at = Date.now();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    let event: StepEvent;
    try {
      event = webhook.verify(Buffer.concat(chunks).toString("utf8"), headers) as StepEvent;
    } catch (e) {
      send({ type: "refused", reason: (e as Error).message });
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "bad signature" }));
      return;
    }
    send({
      type: "arrival",
      arrival: {
        deploymentId: event.deployment.id,
        action: event.step.action,
        index: event.step.index,
        trafficPercent: event.step.trafficPercent,
        at,
      },
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "succeeded" }));
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  send({ type: "ready", url: `http://127.0.0.1:${port}/hooks/greenlight` });
});
// the parent going away ends the receiver too
process.on("disconnect", () => process.exit(0));

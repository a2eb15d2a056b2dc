import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { createDatabaseOn } from "../test/databases";
import { percentile } from "./bench-kit";

// npm run bench:notify — durable notification delivery under load, on a database of its own
// (TEST_DATABASE_URL's server, or DATABASE_URL's):
//   1,000 webhook deliveries (Standard Webhooks, signed) to a local receiver that verifies each
//   signature: all delivered, each exactly once, within 30 s of the worker's start
//   p50/p95 per delivery: queued → arrived at the receiver, and one attempt (claim → recorded)
// The events, deliveries and their jobs are inserted in one transaction, as the fan-out does;
// then the notification worker (lib/jobs/notification-worker.ts) starts in this process with its
// defaults, as `npm run worker` runs it (compiled). Exits non-zero when a target is missed.

const DELIVERIES = Number(process.env.BENCH_NOTIFY_DELIVERIES ?? 1000);
const TARGET_MS = 30_000;
const SECRET_VAR = "BENCH_NOTIFY_WEBHOOK_SECRET";
const COMPILED = path.join(import.meta.dirname, "compiled.mjs");
const CHILD_EXEC_ARGV = process.execArgv.filter((a) => a.startsWith("--conditions"));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (v: number) => v.toFixed(1).padStart(9);

function migrate(url: string): Promise<void> {
  const child = fork(COMPILED, [path.join(import.meta.dirname, "db.ts"), "deploy"], {
    execArgv: CHILD_EXEC_ARGV,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`db:deploy exited with ${code}`)))),
  );
}

/** A receiver as a customer would run one: verifies every signature, notes when each id arrived. */
async function startReceiver(secret: string) {
  const webhook = new Webhook(secret);
  const arrivals = new Map<string, number>();
  let repeats = 0;
  let refused = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      try {
        webhook.verify(Buffer.concat(chunks).toString("utf8"), headers);
      } catch {
        refused++;
        res.writeHead(401).end();
        return;
      }
      const id = headers["webhook-id"] ?? "";
      if (arrivals.has(id)) repeats++;
      else arrivals.set(id, at);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/greenlight`,
    arrivals,
    counts: () => ({ repeats, refused }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function report(name: string, times: number[], target?: number): boolean {
  const t = [...times].sort((a, b) => a - b);
  const p95 = percentile(t, 95);
  const verdict = target === undefined ? "(info)" : p95 < target ? `< ${target} ms ok` : `< ${target} ms MISSED`;
  console.log(
    `${name.padEnd(44)} ${String(t.length).padStart(5)} ${ms(percentile(t, 50))} ${ms(p95)} ${ms(t.at(-1) ?? NaN)}   ${verdict}`,
  );
  return target === undefined || p95 < target;
}

async function measureDeliveries(receiverUrl: string, arrivals: Map<string, number>): Promise<boolean> {
  const { db } = await import("../db");
  const { sendManyInTransaction } = await import("../queue/send");
  const { startNotificationWorker, stopNotificationWorker } = await import("../jobs/notification-worker");

  const channel = await db().notificationChannel.create({
    data: { name: "bench receiver", format: "STANDARD", url: receiverUrl, secretEnvVar: SECRET_VAR },
  });
  const deliveries = await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      with ev as (
        insert into "NotificationEvent" (id, kind, key, title, body, path, data)
        select gen_random_uuid(), 'deployment.failed', 'bench:' || n, 'app-' || n || ' failed in Production',
          'The deploy failed at the smoke check.', '/', jsonb_build_object('n', n)
        from generate_series(1, ${DELIVERIES}::int) n
        returning id)
      insert into "NotificationDelivery" (id, "eventId", channel, "targetId", "webhookId", "updatedAt")
      select gen_random_uuid(), ev.id, 'webhook', ${channel.id}::uuid, ${channel.id}::uuid, now() from ev
      returning id`;
    await sendManyInTransaction(
      tx,
      "delivery",
      rows.map((r) => ({ data: { deliveryId: r.id, attempt: 1 } })),
    );
    return rows.map((r) => r.id);
  });
  const queuedAt = Date.now();
  await startNotificationWorker();
  const started = Date.now();
  let delivered = 0;
  while (Date.now() - started < TARGET_MS * 2) {
    delivered = await db().notificationDelivery.count({ where: { status: "DELIVERED" } });
    if (delivered === deliveries.length) break;
    const failed = await db().notificationDelivery.count({ where: { status: "FAILED" } });
    if (failed > 0) break;
    await sleep(50);
  }
  const allDeliveredMs = Date.now() - started;
  await sleep(500); // a late repeat would show now
  await stopNotificationWorker();

  const rows = await db().notificationDelivery.findMany({
    where: { id: { in: deliveries } },
    select: { id: true, status: true, attempts: true, claimedAt: true, updatedAt: true, lastError: true },
  });
  const failed = rows.filter((r) => r.status !== "DELIVERED");
  const queuedToArrived = deliveries.flatMap((id) => {
    const at = arrivals.get(id);
    return at === undefined ? [] : [at - queuedAt];
  });
  const attempt = rows.flatMap((r) =>
    r.claimedAt && r.status === "DELIVERED" ? [r.updatedAt.getTime() - r.claimedAt.getTime()] : [],
  );

  console.log(`\n${DELIVERIES} webhook deliveries, one signed POST each, to a local receiver`);
  console.log(
    `${"measure".padEnd(44)} ${"n".padStart(5)} ${"p50 ms".padStart(9)} ${"p95 ms".padStart(9)} ${"max ms".padStart(9)}`,
  );
  report("queued → arrived at the receiver", queuedToArrived);
  report("one attempt: claimed → recorded delivered", attempt);
  const inTime = delivered === deliveries.length && allDeliveredMs < TARGET_MS;
  console.log(
    `\nall ${deliveries.length} delivered ${delivered === deliveries.length ? `in ${(allDeliveredMs / 1000).toFixed(2)} s` : `— only ${delivered}`} ` +
      `after the worker started (target < ${TARGET_MS / 1000} s): ${inTime ? "ok" : "MISSED"}`,
  );
  const once = arrivals.size === deliveries.length;
  console.log(`each arrived exactly once (receiver): ${once ? "ok" : `MISSED (${arrivals.size} distinct)`}`);
  for (const f of failed.slice(0, 5)) console.log(`  not delivered: ${f.id} ${f.status} ${f.lastError ?? ""}`);
  return inTime && once && failed.length === 0;
}

// ─── second measurement: the promote request with 200 recipients (the lead's) ────────────────
/**
 * The promote request's share of notifying 200 people (lib/cli/bench-notify-promote.ts), on the
 * same database, emptied first. Returns whether its target held.
 */
async function measurePromoteRequest(): Promise<boolean> {
  const { db } = await import("../db");
  const { emptyAllTables } = await import("../migrate/empty");
  const { measurePromoteWithNotifications, TARGET_ADDED_MS } = await import("./bench-notify-promote");
  await emptyAllTables(db());
  const m = await measurePromoteWithNotifications();
  const f = (v: number) => v.toFixed(1);
  console.log(`\npromote request with ${m.people} recipients (${m.runs} runs each)`);
  console.log(`  promote without an event   p50 ${f(m.withoutEvent.p50)} ms   p95 ${f(m.withoutEvent.p95)} ms`);
  console.log(`  promote with the event     p50 ${f(m.withEvent.p50)} ms   p95 ${f(m.withEvent.p95)} ms`);
  console.log(`  emit alone                 p50 ${f(m.emit.p50)} ms   p95 ${f(m.emit.p95)} ms`);
  console.log(
    `  fan-out (worker, off the request) ${f(m.fanOut.ms)} ms: ${m.fanOut.inbox} inbox, ${m.fanOut.email} email, ${m.fanOut.webhook} webhook`,
  );
  const ok = m.addedP50 < TARGET_ADDED_MS;
  console.log(
    `  added to the request's p50: ${f(m.addedP50)} ms (target < ${TARGET_ADDED_MS} ms): ${ok ? "ok" : "MISSED"}`,
  );
  return ok;
}
// ─── end of the second measurement ──────────────────────────────────────────────────────────

async function main() {
  const base =
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const database = await createDatabaseOn(base, "greenlight_bench_notify");
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  process.env[SECRET_VAR] = secret;
  process.env.BENCH_HOOK_SECRET ??= secret;
  const receiver = await startReceiver(secret);
  let ok = false;
  try {
    await migrate(database.url);
    process.env.DATABASE_URL = database.url;
    process.env.DATABASE_POOL_MAX = "10";
    const deliveriesOk = await measureDeliveries(receiver.url, receiver.arrivals);
    const { repeats, refused } = receiver.counts();
    if (repeats || refused) console.log(`receiver: ${repeats} repeat(s), ${refused} refused signature(s)`);
    const promoteOk = await measurePromoteRequest();
    ok = deliveriesOk && promoteOk && refused === 0;
  } finally {
    const { stopWorkerBoss } = await import("../jobs/boss");
    const { closeDb } = await import("../db");
    await stopWorkerBoss().catch(() => undefined);
    await closeDb().catch(() => undefined);
    await receiver.close();
    await database.drop();
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

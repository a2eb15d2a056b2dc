import { z } from "zod";
import { reportedUrls } from "../../domain/reported-urls";
import { pause, shownUrl, systemLog } from "../log";
import type {
  ConnectionReport,
  DeployContext,
  DeployProvider,
  DeployResult,
  LogSink,
  ProviderCapabilities,
  StepAction,
} from "../provider";
import { readSecret } from "../secret";
import { stepFor } from "../step";
import type { WebhookConfig } from "./config";
import { newWebhookId, parseSecrets, signatureHeader } from "./sign";

// The `webhook` provider posts each step to a receiver as a signed JSON event. The receiver
// either finishes the step in its reply ({"status": "succeeded"}) or accepts it (any other 2xx)
// and reports the outcome later to the event's callbackUrl. Delivery is at least once: a retry,
// or a redelivery after Greenlight restarts, carries the same webhook-id, which receivers use to
// drop repeats (docs/deploy-providers.md).

/** The receiver decides what a step means, so every strategy can run on it. */
export const webhookCapabilities: ProviderCapabilities = {
  strategies: ["direct", "blue_green", "canary"],
  versionCheck: false,
  testConnection: true,
};

export interface WebhookTiming {
  /** the longest one attempt may take (it is also cut at the step's deadline) */
  attemptMs: number;
  /** the first pause between attempts; each next pause doubles */
  backoffMs: number;
  attempts: number;
}

const DEFAULT_TIMING: WebhookTiming = { attemptMs: 30_000, backoffMs: 1000, attempts: 5 };
const REPLY_MAX_BYTES = 64 * 1024;
const SNIPPET_CHARS = 300;

export interface WebhookOptions {
  /** the NAME of the environment variable holding the whsec_ secret(s), read at each delivery */
  secretEnvVar: string;
  /** the whole delivery of one step, retries included */
  timeoutSeconds: number;
  timing?: Partial<WebhookTiming>;
}

export function webhookProvider(config: WebhookConfig, options: WebhookOptions): DeployProvider {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const step = (ctx: DeployContext, log: LogSink, action: StepAction, percent?: number, id?: string) =>
    deliverStep(config, options, timing, ctx, log, action, percent, id);
  return {
    kind: "webhook",
    deploy: (ctx, log) => step(ctx, log, "deploy"),
    setTraffic: (ctx, percent, log) => {
      if (!Number.isInteger(percent) || percent < 0 || percent > 100)
        return Promise.resolve({ ok: false, reason: `traffic must be a whole percentage, got ${percent}` });
      return step(ctx, log, "traffic", percent);
    },
    rollback: (ctx, log) => step(ctx, log, "rollback"),
    // Redelivers the step's event under the id it was first sent with: the receiver either never
    // got it (Greenlight stopped mid-delivery) or drops it as a repeat and reports as it would have.
    follow: (ctx, providerRef, log) => step(ctx, log, ctx.step?.action ?? "deploy", undefined, providerRef),
    testConnection: (signal) => ping(config, options, timing, signal),
  };
}

/** The JSON event for one step (the receiver contract in docs/deploy-providers.md). */
export function stepEvent(ctx: DeployContext, id: string, action: StepAction, percent?: number) {
  const step = stepFor(ctx, action, percent);
  return {
    type: "deployment.step" as const,
    id,
    deployment: { id: ctx.deploymentId },
    application: { key: ctx.application.key },
    environment: { key: ctx.environment.key, url: ctx.environment.url ?? null },
    release: {
      version: ctx.release.version,
      commitSha: ctx.release.commitSha,
      previousVersion: ctx.release.previousVersion ?? null,
    },
    strategy: ctx.strategy,
    step,
    color: ctx.color ?? null,
    previousColor: ctx.previousColor ?? null,
    callbackUrl: ctx.eventsUrl ?? null,
  };
}

async function deliverStep(
  config: WebhookConfig,
  options: WebhookOptions,
  timing: WebhookTiming,
  ctx: DeployContext,
  log: LogSink,
  action: StepAction,
  percent: number | undefined,
  knownId: string | undefined,
): Promise<DeployResult> {
  const say = systemLog(log);
  const fail = async (reason: string, providerRef?: string): Promise<DeployResult> => {
    await say(reason);
    return { ok: false, reason, ...(providerRef ? { providerRef } : {}) };
  };
  if (ctx.signal.aborted) return fail("cancelled");
  if (action === "rollback" && !ctx.release.previousVersion) return fail("no previous version to roll back to");
  const secrets = secretsOf(options.secretEnvVar);
  if (!secrets.ok) return fail(secrets.reason);

  const id = knownId ?? newWebhookId();
  // remembered before the first byte leaves: a restart redelivers under this id instead of
  // sending a second, different event for the same step
  if (!knownId && ctx.remember) await ctx.remember(id);
  const body = JSON.stringify(stepEvent(ctx, id, action, percent));
  const where = shownUrl(config.url);
  await say(`${knownId ? "redelivering" : "posting"} ${action} event ${id} to ${where}`);
  const sent = await deliver(config, secrets.secrets, id, body, options.timeoutSeconds, timing, ctx.signal, say);
  if (!sent.ok) return fail(sent.reason, id);
  const reply = sent.reply;
  if (reply?.status === "succeeded") {
    const message = reply.message ?? `the receiver finished the ${action} step`;
    await say(`HTTP ${sent.status}: ${message}`);
    return { ok: true, providerRef: id, message, ...reportedUrls(reply) };
  }
  if (reply?.status === "failed") return fail(`the receiver reports the ${action} step failed: ${reply.reason}`, id);
  const message = `HTTP ${sent.status}: the receiver accepted the ${action} step and reports its outcome later`;
  await say(message);
  return { ok: "pending", providerRef: id, message };
}

function secretsOf(secretEnvVar: string) {
  const secret = readSecret(secretEnvVar);
  if (!secret.ok) return secret;
  return parseSecrets(secret.value, secretEnvVar);
}

/**
 * A reply that finishes the step at once; any other 2xx body means "accepted, outcome later".
 * A success may say where the release runs (url) and where the idle colour answers (previewUrl);
 * anything but an http(s) URL there is ignored.
 */
const replySchema = z.union([
  z.object({
    status: z.literal("succeeded"),
    message: z.string().max(2000).optional(),
    url: z.unknown().optional(),
    previewUrl: z.unknown().optional(),
  }),
  z.object({ status: z.literal("failed"), reason: z.string().trim().min(1).max(2000) }),
]);
type Reply = z.infer<typeof replySchema>;

type Delivery = { ok: true; status: number; reply: Reply | null } | { ok: false; reason: string };

/**
 * Posts one signed body until the receiver answers 2xx: 5xx, 408, 429, timeouts and connection
 * errors are tried again after a pause that doubles (or the receiver's Retry-After), as long as
 * the deadline allows; any other 4xx is final. Each attempt is signed anew (a fresh timestamp),
 * under the same id.
 */
async function deliver(
  config: WebhookConfig,
  secrets: Parameters<typeof signatureHeader>[0],
  id: string,
  body: string,
  timeoutSeconds: number,
  timing: WebhookTiming,
  signal: AbortSignal,
  say: (text: string) => Promise<void>,
): Promise<Delivery> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const where = shownUrl(config.url);
  let last = "";
  for (let attempt = 1; attempt <= timing.attempts; attempt++) {
    if (signal.aborted) return { ok: false, reason: "cancelled" };
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const attemptMs = Math.min(timing.attemptMs, remaining);
    const at = new Date();
    const outcome = await post(config, secrets, id, body, at, attemptMs, signal);
    if (signal.aborted) return { ok: false, reason: "cancelled" };
    let retryAfterMs: number | null = null;
    if (outcome.kind === "answer") {
      const { status, text, retryAfter } = outcome;
      if (status >= 200 && status < 300) return { ok: true, status, reply: parseReply(text) };
      const said = `HTTP ${status}${snippet(text)}`;
      if (status >= 300 && status < 400)
        return {
          ok: false,
          reason: `The receiver at ${where} answered with a redirect (${said}): configure the address it redirects to`,
        };
      if (status < 500 && status !== 408 && status !== 429)
        return { ok: false, reason: `The receiver at ${where} refused the event: ${said}` };
      last = said;
      retryAfterMs = retryAfter;
    } else {
      last = outcome.kind === "timeout" ? `no answer within ${formatMs(attemptMs)}` : outcome.message;
    }
    if (attempt === timing.attempts) break;
    const wait = retryAfterMs ?? timing.backoffMs * 2 ** (attempt - 1);
    if (Date.now() + wait >= deadline) break;
    await say(
      `attempt ${attempt} of ${timing.attempts} to ${where} failed (${last}); trying again in ${formatMs(wait)}`,
    );
    await pause(wait, signal);
  }
  if (signal.aborted) return { ok: false, reason: "cancelled" };
  return {
    ok: false,
    reason: `The receiver at ${where} did not accept the event within ${timeoutSeconds} s (last attempt: ${last || "none"})`,
  };
}

type PostOutcome =
  | { kind: "answer"; status: number; text: string; retryAfter: number | null }
  | { kind: "timeout" }
  | { kind: "error"; message: string };

async function post(
  config: WebhookConfig,
  secrets: Parameters<typeof signatureHeader>[0],
  id: string,
  body: string,
  at: Date,
  attemptMs: number,
  signal: AbortSignal,
): Promise<PostOutcome> {
  const timeout = AbortSignal.timeout(attemptMs);
  try {
    const res = await fetch(config.url, {
      method: "POST",
      headers: {
        ...config.headers,
        "content-type": "application/json",
        "user-agent": "Greenlight-Webhooks/1",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signatureHeader(secrets, id, at, body),
      },
      body,
      // a signed event goes only where it was configured to go
      redirect: "manual",
      signal: AbortSignal.any([signal, timeout]),
    });
    const text = await readCapped(res);
    return { kind: "answer", status: res.status, text, retryAfter: retryAfterMs(res.headers.get("retry-after")) };
  } catch (e) {
    if (timeout.aborted && !signal.aborted) return { kind: "timeout" };
    return { kind: "error", message: connectionError(e) };
  }
}

/** Reads at most REPLY_MAX_BYTES of a reply: a receiver's error page is evidence, not payload. */
async function readCapped(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= REPLY_MAX_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, REPLY_MAX_BYTES).toString("utf8");
}

function parseReply(text: string): Reply | null {
  if (text.trim() === "") return null;
  try {
    const parsed = replySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Retry-After in seconds (the date form is rare from receivers and ignored: backoff applies). */
function retryAfterMs(value: string | null): number | null {
  if (value === null || !/^\d{1,6}$/.test(value.trim())) return null;
  return Number(value.trim()) * 1000;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return "";
  return `: ${flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat}`;
}

function connectionError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "ENOTFOUND") return "host not found";
  if (cause?.code === "ECONNRESET" || cause?.code === "UND_ERR_SOCKET") return "connection closed before an answer";
  return cause?.message ?? (e as Error).message;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** Test connection: one signed `ping` event, one attempt. */
async function ping(
  config: WebhookConfig,
  options: WebhookOptions,
  timing: WebhookTiming,
  signal: AbortSignal,
): Promise<ConnectionReport> {
  const secrets = secretsOf(options.secretEnvVar);
  if (!secrets.ok) return { ok: false, reason: secrets.reason };
  const id = newWebhookId();
  const body = JSON.stringify({ type: "ping", id });
  const where = shownUrl(config.url);
  const attemptMs = Math.min(timing.attemptMs, options.timeoutSeconds * 1000, 10_000);
  const outcome = await post(config, secrets.secrets, id, body, new Date(), attemptMs, signal);
  if (outcome.kind === "timeout")
    return { ok: false, reason: `The receiver at ${where} did not answer within ${formatMs(attemptMs)}` };
  if (outcome.kind === "error") return { ok: false, reason: `Could not reach ${where}: ${outcome.message}` };
  if (outcome.status >= 200 && outcome.status < 300)
    return { ok: true, message: `The receiver at ${where} answered the signed ping with HTTP ${outcome.status}` };
  return {
    ok: false,
    reason: `The receiver at ${where} answered the signed ping with HTTP ${outcome.status}${snippet(outcome.text)}`,
  };
}

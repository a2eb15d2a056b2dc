import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DeployContext, LogLine } from "../provider";
import { webhookProvider, type WebhookOptions } from "./provider";
import { startReceiver, type Receiver } from "./test-receiver";

// A real receiver on 127.0.0.1 checks every event with the reference `standardwebhooks` package,
// as a customer's receiver would.

const SECRET_VAR = "WEBHOOK_TEST_SIGNING_SECRET";
const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;
const secret = newSecret();

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  delete process.env[SECRET_VAR];
});
afterEach(() => {
  receiver.received.length = 0;
  receiver.answers.length = 0;
  receiver.fallback = { status: 202 };
  process.env[SECRET_VAR] = secret;
});
process.env[SECRET_VAR] = secret;

const FAST = { attemptMs: 2000, backoffMs: 20, attempts: 4 };

function provider(overrides: Partial<WebhookOptions> = {}, url = receiver.url) {
  return webhookProvider(
    { url, headers: { "x-team": "payments" } },
    { secretEnvVar: SECRET_VAR, timeoutSeconds: 10, timing: FAST, ...overrides },
  );
}

function context(overrides: Partial<DeployContext> = {}): DeployContext {
  return {
    deploymentId: "0190a1b2-0000-7000-8000-00000000000a",
    eventsUrl: "http://127.0.0.1:3000/api/v1/deployments/0190a1b2-0000-7000-8000-00000000000a/events",
    application: { key: "storefront" },
    environment: { key: "production", url: "https://shop.example" },
    release: { version: "2.4.0", commitSha: "a1b2c3d", previousVersion: "2.3.9", previousCommitSha: "99aa" },
    strategy: "canary",
    color: "green",
    previousColor: "blue",
    step: { index: 1, count: 3, action: "traffic", trafficPercent: 50 },
    signal: new AbortController().signal,
    ...overrides,
  };
}

function logged() {
  const lines: LogLine[] = [];
  return { lines, sink: (line: LogLine) => void lines.push(line) };
}

/** What a receiver does: verify with the reference library, then read the event. */
function verifiedBy(secretValue: string, index = 0): Record<string, unknown> {
  const got = receiver.received[index];
  if (!got) throw new Error(`no request ${index}`);
  return new Webhook(secretValue).verify(got.body, got.headers) as Record<string, unknown>;
}

describe("webhook provider", () => {
  it("posts a signed step event and waits for the receiver's report when it answers 202", async () => {
    const remembered: string[] = [];
    const { lines, sink } = logged();
    const result = await provider().setTraffic!(
      context({ remember: (ref) => Promise.resolve(void remembered.push(ref)) }),
      50,
      sink,
    );
    expect(result.ok).toBe("pending");
    const id = result.providerRef!;
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(remembered).toEqual([id]);
    expect(receiver.received).toHaveLength(1);
    const headers = receiver.received[0]!.headers;
    expect(headers["webhook-id"]).toBe(id);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["x-team"]).toBe("payments");
    expect(Math.abs(Number(headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
    expect(verifiedBy(secret)).toEqual({
      type: "deployment.step",
      id,
      deployment: { id: "0190a1b2-0000-7000-8000-00000000000a" },
      application: { key: "storefront" },
      environment: { key: "production", url: "https://shop.example" },
      release: { version: "2.4.0", commitSha: "a1b2c3d", previousVersion: "2.3.9" },
      strategy: "canary",
      step: { index: 1, count: 3, action: "traffic", trafficPercent: 50 },
      color: "green",
      previousColor: "blue",
      callbackUrl: "http://127.0.0.1:3000/api/v1/deployments/0190a1b2-0000-7000-8000-00000000000a/events",
    });
    // the secret never reaches the log
    expect(JSON.stringify(lines)).not.toContain(secret.slice(6));
    expect(lines.map((l) => l.text)).toEqual([
      `posting traffic event ${id} to ${receiver.url}`,
      "HTTP 202: the receiver accepted the traffic step and reports its outcome later",
    ]);
  });

  it("signs with every secret during a rotation, each verifying on its own", async () => {
    const next = newSecret();
    process.env[SECRET_VAR] = `${secret} ${next}`;
    const result = await provider().deploy(context({ step: undefined, strategy: "direct" }), () => {});
    expect(result.ok).toBe("pending");
    const signatures = receiver.received[0]!.headers["webhook-signature"]!.split(" ");
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => s.startsWith("v1,"))).toBe(true);
    expect(verifiedBy(secret)).toMatchObject({ step: { index: -1, count: 0, action: "deploy", trafficPercent: 100 } });
    expect(verifiedBy(next)).toMatchObject({ type: "deployment.step" });
    expect(() => verifiedBy(newSecret())).toThrow("No matching signature found");
  });

  it("finishes the step at once when the reply says so", async () => {
    receiver.answers.push(
      { status: 200, body: JSON.stringify({ status: "succeeded", message: "switched to green" }) },
      { status: 200, body: JSON.stringify({ status: "failed", reason: "health check on green failed" }) },
    );
    const p = provider();
    const ok = await p.setTraffic!(context(), 100, () => {});
    expect(ok).toEqual({
      ok: true,
      providerRef: receiver.received[0]!.headers["webhook-id"],
      message: "switched to green",
    });
    const failed = await p.rollback(context(), () => {});
    expect(failed).toMatchObject({
      ok: false,
      reason: "the receiver reports the rollback step failed: health check on green failed",
    });
    expect(verifiedBy(secret, 1)).toMatchObject({ step: { action: "rollback" } });
  });

  it("retries 5xx and connection trouble with backoff under the same id, then succeeds", async () => {
    receiver.answers.push(
      { status: 503, body: "upstream down" },
      { status: 500 },
      { status: 429, headers: { "retry-after": "0" } },
    );
    const { lines, sink } = logged();
    const result = await provider().deploy(context(), sink);
    expect(result.ok).toBe("pending");
    expect(receiver.received).toHaveLength(4);
    const ids = new Set(receiver.received.map((r) => r.headers["webhook-id"]));
    expect(ids).toEqual(new Set([result.providerRef]));
    for (let i = 0; i < 4; i++) expect(verifiedBy(secret, i)).toMatchObject({ type: "deployment.step" });
    const retries = lines.map((l) => l.text).filter((t) => t.startsWith("attempt"));
    expect(retries).toEqual([
      `attempt 1 of 4 to ${receiver.url} failed (HTTP 503: upstream down); trying again in 20 ms`,
      `attempt 2 of 4 to ${receiver.url} failed (HTTP 500); trying again in 40 ms`,
      `attempt 3 of 4 to ${receiver.url} failed (HTTP 429); trying again in 0 ms`,
    ]);
  });

  it("gives up after its attempts with a sentence naming the last answer", async () => {
    receiver.fallback = { status: 502, body: "<html>Bad gateway</html>" };
    const result = await provider().deploy(context(), () => {});
    expect(result).toMatchObject({
      ok: false,
      reason: `The receiver at ${receiver.url} did not accept the event within 10 s (last attempt: HTTP 502: <html>Bad gateway</html>)`,
    });
    expect(receiver.received).toHaveLength(4);
  });

  it("does not retry a 4xx refusal and quotes the receiver", async () => {
    receiver.answers.push({ status: 404, body: JSON.stringify({ error: "no such service" }) });
    const result = await provider().deploy(context(), () => {});
    expect(result).toMatchObject({
      ok: false,
      reason: `The receiver at ${receiver.url} refused the event: HTTP 404: {"error":"no such service"}`,
    });
    expect(receiver.received).toHaveLength(1);
  });

  it("times out a receiver that never answers, within the target's timeout", async () => {
    receiver.fallback = "hang";
    const started = Date.now();
    const result = await provider({
      timeoutSeconds: 1,
      timing: { attemptMs: 300, backoffMs: 50, attempts: 10 },
    }).deploy(context(), () => {});
    expect(Date.now() - started).toBeLessThan(1500);
    // the last attempt is cut short by the deadline
    expect(result.ok).toBe(false);
    if (result.ok === false)
      expect(result.reason).toMatch(
        new RegExp(
          `^The receiver at ${receiver.url} did not accept the event within 1 s \\(last attempt: no answer within \\d+ ms\\)$`,
        ),
      );
    expect(receiver.received.length).toBeGreaterThanOrEqual(2);
  });

  it("stops at once when the deployment is cancelled", async () => {
    receiver.fallback = "hang";
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 150);
    const started = Date.now();
    const result = await provider().deploy(context({ signal: abort.signal }), () => {});
    expect(result).toMatchObject({ ok: false, reason: "cancelled" });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(receiver.received).toHaveLength(1);
    const before = receiver.received.length;
    expect(await provider().deploy(context({ signal: abort.signal }), () => {})).toMatchObject({ reason: "cancelled" });
    expect(receiver.received).toHaveLength(before);
  });

  it("reports a receiver that cannot be reached", async () => {
    const gone = await startReceiver();
    await gone.close();
    const result = await provider({ timing: { ...FAST, attempts: 2 } }, gone.url).deploy(context(), () => {});
    expect(result).toMatchObject({
      ok: false,
      reason: `The receiver at ${gone.url} did not accept the event within 10 s (last attempt: connection refused)`,
    });
  });

  it("refuses to follow a redirect with a signed event", async () => {
    receiver.answers.push({ status: 307, headers: { location: "http://127.0.0.1:1/elsewhere" } });
    expect(await provider().deploy(context(), () => {})).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /answered with a redirect \(HTTP 307\): configure the address it redirects to$/,
      ) as string,
    });
    expect(receiver.received).toHaveLength(1);
  });

  it("after a restart, redelivers the step under the id it remembered", async () => {
    const result = await provider().follow!(context(), "msg_0123456789abcdef0123456789abcdef", () => {});
    expect(result).toMatchObject({ ok: "pending", providerRef: "msg_0123456789abcdef0123456789abcdef" });
    expect(receiver.received[0]!.headers["webhook-id"]).toBe("msg_0123456789abcdef0123456789abcdef");
    expect(verifiedBy(secret)).toMatchObject({ id: "msg_0123456789abcdef0123456789abcdef", step: { index: 1 } });
  });

  it("fails clearly, sending nothing, when the secret is missing or malformed", async () => {
    delete process.env[SECRET_VAR];
    expect(await provider().deploy(context(), () => {})).toMatchObject({
      ok: false,
      reason: `secret environment variable ${SECRET_VAR} is not set on the Greenlight server`,
    });
    process.env[SECRET_VAR] = "hunter2";
    expect(await provider().deploy(context(), () => {})).toMatchObject({
      ok: false,
      reason: `the secret in ${SECRET_VAR} does not start with whsec_: use a Standard Webhooks secret`,
    });
    process.env[SECRET_VAR] = `${secret} whsec_***`;
    expect(await provider().deploy(context(), () => {})).toMatchObject({
      ok: false,
      reason: `secret 2 of 2 in ${SECRET_VAR} is not whsec_ followed by base64`,
    });
    expect(receiver.received).toHaveLength(0);
  });

  it("tests the connection with a signed ping", async () => {
    const report = await provider().testConnection!(new AbortController().signal);
    expect(report).toEqual({
      ok: true,
      message: `The receiver at ${receiver.url} answered the signed ping with HTTP 202`,
    });
    expect(verifiedBy(secret)).toEqual({ type: "ping", id: receiver.received[0]!.headers["webhook-id"] });
    receiver.answers.push({ status: 401, body: "bad signature" });
    expect(await provider().testConnection!(new AbortController().signal)).toEqual({
      ok: false,
      reason: `The receiver at ${receiver.url} answered the signed ping with HTTP 401: bad signature`,
    });
  });
});

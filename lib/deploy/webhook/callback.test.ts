import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { secretsFromEnvValue, verifyWebhookCallback } from "./callback";

// Callbacks are signed here by the reference `standardwebhooks` package, as a receiver would sign them.

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const secret = newSecret();

function signed(body: string, options: { with?: string; at?: Date; id?: string } = {}) {
  const id = options.id ?? "msg_callback_1";
  const at = options.at ?? new Date();
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(options.with ?? secret).sign(id, at, body),
  };
}

const succeeded = JSON.stringify({ type: "step.succeeded", step: 1, message: "50 % on green" });

describe("verifyWebhookCallback", () => {
  it("accepts a well-signed event and returns its id for replay protection", () => {
    expect(verifyWebhookCallback({ secrets: [secret], headers: signed(succeeded), rawBody: succeeded })).toEqual({
      ok: true,
      webhookId: "msg_callback_1",
      event: { type: "step.succeeded", step: 1, message: "50 % on green" },
    });
    const progress = JSON.stringify({ type: "progress", message: "pulling image", extra: "ignored" });
    const asBytes = verifyWebhookCallback({
      secrets: [secret],
      headers: new Headers(signed(progress)),
      rawBody: new TextEncoder().encode(progress),
    });
    expect(asBytes).toEqual({
      ok: true,
      webhookId: "msg_callback_1",
      event: { type: "progress", message: "pulling image" },
    });
    const failed = JSON.stringify({ type: "step.failed", step: -1, reason: "image not found" });
    expect(verifyWebhookCallback({ secrets: [secret], headers: signed(failed), rawBody: failed })).toMatchObject({
      ok: true,
      event: { type: "step.failed", step: -1, reason: "image not found" },
    });
  });

  it("accepts an event signed with either secret during a rotation", () => {
    const next = newSecret();
    const secrets = secretsFromEnvValue(` ${secret}  ${next} `);
    expect(secrets).toEqual([secret, next]);
    for (const signer of [secret, next])
      expect(
        verifyWebhookCallback({ secrets, headers: signed(succeeded, { with: signer }), rawBody: succeeded }).ok,
      ).toBe(true);
  });

  it("refuses a wrong secret, a tampered body and a forged signature with 401", () => {
    const refused = {
      ok: false,
      status: 401,
      reason: "The webhook-signature does not match: sign with the target's current secret",
    };
    expect(
      verifyWebhookCallback({
        secrets: [secret],
        headers: signed(succeeded, { with: newSecret() }),
        rawBody: succeeded,
      }),
    ).toEqual(refused);
    const tampered = succeeded.replace("1", "2");
    expect(verifyWebhookCallback({ secrets: [secret], headers: signed(succeeded), rawBody: tampered })).toEqual(
      refused,
    );
    const forged = { ...signed(succeeded), "webhook-signature": `v1,${randomBytes(32).toString("base64")}` };
    expect(verifyWebhookCallback({ secrets: [secret], headers: forged, rawBody: succeeded })).toEqual(refused);
    expect(
      verifyWebhookCallback({ secrets: ["not-a-secret"], headers: signed(succeeded), rawBody: succeeded }),
    ).toEqual({
      ok: false,
      status: 401,
      reason: "This deploy target has no valid whsec_ secret to verify events with",
    });
  });

  it("refuses an event more than 5 minutes old or ahead, even when well signed", () => {
    const old = signed(succeeded, { at: new Date(Date.now() - 6 * 60_000) });
    expect(verifyWebhookCallback({ secrets: [secret], headers: old, rawBody: succeeded })).toEqual({
      ok: false,
      status: 401,
      reason: "The event is more than 5 minutes old: sign it with the current time",
    });
    const ahead = signed(succeeded, { at: new Date(Date.now() + 6 * 60_000) });
    expect(verifyWebhookCallback({ secrets: [secret], headers: ahead, rawBody: succeeded })).toMatchObject({
      status: 401,
      reason: "The event is dated more than 5 minutes ahead: check the sender's clock",
    });
    // within the window is fine
    const recent = signed(succeeded, { at: new Date(Date.now() - 4 * 60_000) });
    expect(verifyWebhookCallback({ secrets: [secret], headers: recent, rawBody: succeeded }).ok).toBe(true);
  });

  it("answers 400 for missing headers, malformed JSON and events it does not know", () => {
    expect(verifyWebhookCallback({ secrets: [secret], headers: {}, rawBody: succeeded })).toMatchObject({
      status: 400,
    });
    const noTimestamp = { ...signed(succeeded), "webhook-timestamp": "yesterday" };
    expect(verifyWebhookCallback({ secrets: [secret], headers: noTimestamp, rawBody: succeeded })).toMatchObject({
      status: 400,
      reason: "The webhook-timestamp header must be Unix seconds",
    });
    const notJson = "{ type: step.succeeded";
    expect(verifyWebhookCallback({ secrets: [secret], headers: signed(notJson), rawBody: notJson })).toEqual({
      ok: false,
      status: 400,
      reason: "The body is not JSON",
    });
    for (const event of [
      { type: "step.finished", step: 1 },
      { type: "step.succeeded", step: "1" },
      { type: "step.succeeded", step: -2 },
      { type: "step.failed", step: 0 },
      { type: "progress", message: "bad\u0000byte" },
      [],
      null,
    ]) {
      const body = JSON.stringify(event);
      const result = verifyWebhookCallback({ secrets: [secret], headers: signed(body), rawBody: body });
      expect(result, body).toMatchObject({ ok: false, status: 400 });
      if (!result.ok) expect(result.reason).toMatch(/^The event is not one Greenlight knows/);
    }
    // a bad signature is refused before the body is even read
    expect(
      verifyWebhookCallback({ secrets: [secret], headers: signed(notJson, { with: newSecret() }), rawBody: notJson }),
    ).toMatchObject({ status: 401 });
  });
});

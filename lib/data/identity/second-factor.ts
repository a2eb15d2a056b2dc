import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { toDataURL } from "qrcode";
import { z } from "zod";
import type { Actor, UserActor } from "@/lib/domain/access";
import { db } from "../../db";
import { audit } from "../audit/record";
import type { Tx } from "../context";
import { ConflictError, ForbiddenError, ValidationError } from "../errors";
import { parseInput } from "../input";
import { open, seal } from "./secret-box";
import { markSecondFactor } from "./sessions";

// A second factor for built-in accounts: an authenticator app (TOTP, RFC 6238: SHA-1, 6 digits,
// 30 s, one step of clock drift either way) and ten one-time recovery codes, shown once and
// stored as hashes. Passing it marks the browser session (Session.secondFactorAt); environments
// that ask for it (Environment.requireSecondFactor) refuse approving, promoting, rolling back,
// ticking and changing flags without a recent one (lib/data/authz.ts).
//
// These act on the signed-in person's own account, so they are not matrix operations; an admin
// resets someone else's factor through user.second_factor.reset (lib/data/users).

const ISSUER = "Greenlight";
const PURPOSE = "totp";
const RECOVERY_CODES = 10;
/** failed codes per person in the window before further codes are refused */
const MAX_FAILURES = 5;
const WINDOW_MINUTES = 15;

function totpOf(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

function hashCode(code: string): string {
  return createHash("sha256").update(normalizeRecovery(code)).digest("hex");
}

function normalizeRecovery(code: string): string {
  return code.replace(/[\s-]/g, "").toLowerCase();
}

/** "xxxx-xxxx-xx", 10 characters of base32 (50 bits): enough for a one-time code behind a limit. */
function newRecoveryCode(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

function requireUser(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new ForbiddenError("Only a person can hold a second factor");
  return actor;
}

const codeInput = z.object({
  code: z
    .string("Enter the code")
    .trim()
    .min(6, "Enter the 6-digit code from your app, or a recovery code")
    .max(32, "That is not a code"),
});

export interface SecondFactorStatus {
  enrolled: boolean;
  enrolledAt: Date | null;
  recoveryCodesLeft: number;
  /** when this session last passed a second factor */
  verifiedAt: Date | null;
}

export async function secondFactorStatus(actor: Actor): Promise<SecondFactorStatus> {
  const user = requireUser(actor);
  const row = await db().user.findUniqueOrThrow({
    where: { id: user.id },
    select: { totpEnabledAt: true, _count: { select: { recoveryCodes: { where: { usedAt: null } } } } },
  });
  return {
    enrolled: row.totpEnabledAt !== null,
    enrolledAt: row.totpEnabledAt,
    recoveryCodesLeft: row._count.recoveryCodes,
    verifiedAt: user.session?.secondFactorAt ?? null,
  };
}

export interface Enrolment {
  /** the otpauth:// URI the QR code holds */
  uri: string;
  /** the same secret for typing in by hand, in groups of four */
  secret: string;
  /** a PNG data URL of the QR code */
  qr: string;
}

/**
 * Starts (or restarts) enrolment: a new secret, kept sealed and not in force until a code from
 * it is confirmed. Refused when a factor is already in force (an admin resets it first).
 */
export async function beginEnrolment(actor: Actor): Promise<Enrolment> {
  const user = requireUser(actor);
  const secret = new Secret({ size: 20 }).base32;
  const { count } = await db().user.updateMany({
    where: { id: user.id, totpEnabledAt: null },
    data: { totpSecret: seal(PURPOSE, secret), totpLastStep: null },
  });
  if (!count) throw new ConflictError("You already have an authenticator app. Ask an admin to reset it first.");
  const uri = totpOf(secret, user.email).toString();
  return { uri, secret: secret.match(/.{1,4}/g)!.join(" "), qr: await toDataURL(uri, { margin: 1, width: 220 }) };
}

/** Confirms enrolment with a code from the app; returns the recovery codes, shown once. */
export async function confirmEnrolment(actor: Actor, raw: unknown): Promise<{ recoveryCodes: string[] }> {
  const user = requireUser(actor);
  const { code } = parseInput(codeInput, raw);
  return db().$transaction(async (tx) => {
    await lockPerson(tx, user.id);
    const row = await tx.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { totpSecret: true, totpEnabledAt: true },
    });
    if (row.totpEnabledAt) throw new ConflictError("Your authenticator app is already set up");
    const secret = row.totpSecret ? open(PURPOSE, row.totpSecret) : null;
    if (!secret) throw new ConflictError("Start the set-up again: no authenticator secret is waiting");
    const step = matchingStep(secret, user.email, code);
    if (step === null)
      throw new ValidationError("Some fields need attention", {
        code: ["That code does not match. Check the time on your phone and try the newest code."],
      });
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await tx.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date(), totpLastStep: step } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId: user.id, codeHash: hashCode(c) })) });
    if (user.session) await markSecondFactor(tx, user.session.id);
    await audit(tx, user, {
      action: "auth.second_factor.enrol",
      entityType: "User",
      entityId: user.id,
      after: { method: "totp", recoveryCodes: RECOVERY_CODES },
    });
    return { recoveryCodes: codes };
  });
}

/** The TOTP step a code matches (now, or one step either side), or null. */
function matchingStep(secret: string, label: string, code: string): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = totpOf(secret, label);
  const delta = totp.validate({ token: code, window: 1 });
  return delta === null ? null : Math.floor(Date.now() / 1000 / 30) + delta;
}

async function lockPerson(tx: Tx, userId: string): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('second-factor:' || ${userId}))`;
}

async function recentFailures(tx: Tx, userId: string): Promise<number> {
  return tx.signInAttempt.count({
    where: {
      email: `second-factor:${userId}`,
      succeeded: false,
      at: { gt: new Date(Date.now() - WINDOW_MINUTES * 60_000) },
    },
  });
}

type CodeCheck = { ok: true; method: "totp" | "recovery" } | { ok: false; reason: "invalid" | "throttled" | "none" };

/**
 * Checks a code for a person, in the caller's transaction: a TOTP code newer than the last one
 * accepted, or an unused recovery code (used up by this). Failures count towards a limit.
 */
async function checkCode(tx: Tx, userId: string, email: string, code: string, ip: string | null): Promise<CodeCheck> {
  await lockPerson(tx, userId);
  const row = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpSecret: true, totpEnabledAt: true, totpLastStep: true },
  });
  const secret = row.totpEnabledAt && row.totpSecret ? open(PURPOSE, row.totpSecret) : null;
  if (!secret) return { ok: false, reason: "none" };
  if ((await recentFailures(tx, userId)) >= MAX_FAILURES) return { ok: false, reason: "throttled" };
  const step = matchingStep(secret, email, code.trim());
  if (step !== null && step > (row.totpLastStep ?? -1)) {
    await tx.user.update({ where: { id: userId }, data: { totpLastStep: step } });
    return { ok: true, method: "totp" };
  }
  if (step === null) {
    const used = await tx.recoveryCode.updateMany({
      where: { userId, codeHash: hashCode(code), usedAt: null },
      data: { usedAt: new Date() },
    });
    if (used.count) return { ok: true, method: "recovery" };
  }
  await tx.signInAttempt.create({ data: { email: `second-factor:${userId}`, ip: ip ?? "unknown", succeeded: false } });
  return { ok: false, reason: "invalid" };
}

/**
 * Step-up: the signed-in person enters a code; the session counts as having passed a second
 * factor from now. Every try is audited.
 */
export async function verifySecondFactor(
  actor: Actor,
  raw: unknown,
  ip: string | null = null,
): Promise<{ verifiedAt: Date }> {
  const user = requireUser(actor);
  const { code } = parseInput(codeInput, raw);
  if (!user.session) throw new ForbiddenError("Sign in again: this request has no session to verify");
  const sessionId = user.session.id;
  const outcome = await db().$transaction(async (tx) => {
    const check = await checkCode(tx, user.id, user.email, code, ip);
    if (check.ok) await markSecondFactor(tx, sessionId);
    await audit(tx, user, {
      action: check.ok ? "auth.second_factor.verify" : "auth.second_factor.failed",
      entityType: "User",
      entityId: user.id,
      after: check.ok ? { method: check.method } : { reason: check.reason },
      ip,
    });
    return check;
  });
  if (outcome.ok) return { verifiedAt: new Date() };
  const message =
    outcome.reason === "none"
      ? "You have no authenticator app set up: set one up on your Security page first."
      : outcome.reason === "throttled"
        ? `Too many wrong codes. Try again in ${WINDOW_MINUTES} minutes, or ask an admin.`
        : "That code does not match. Use the newest code from your app, or a recovery code.";
  throw new ValidationError(message, { code: [message] });
}

/**
 * For sign-in: does this code pass as this person's second factor? Used to let a person with the
 * right password and a code through sign-in delays. Consumes the code like a step-up would.
 */
export async function verifySecondFactorCode(userId: string, code: string, ip: string | null = null): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) return false;
  const check = await db().$transaction((tx) => checkCode(tx, userId, user.email, code, ip));
  return check.ok;
}

/** Does this person have a second factor in force? */
export async function hasSecondFactor(userId: string): Promise<boolean> {
  const row = await db().user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } });
  return Boolean(row?.totpEnabledAt);
}

import "server-only";
import { verifyPassword } from "@/lib/password";
import {
  FAILURE_WINDOW_MINUTES,
  waitFor,
  type FailureCount,
  type ThrottleScope,
  type Wait,
} from "@/lib/domain/sign-in-delay";
import { db } from "../../db";
import { audit } from "../audit/record";
import type { Tx } from "../context";
import { verifySecondFactorCode } from "./second-factor";

// Built-in sign-in with email and password. Failures get one generic answer whether or not the
// account exists. After a few failures, attempts must wait a growing delay (per address and
// account, per account, per address: lib/domain/sign-in-delay.ts) — 429 with Retry-After over
// HTTP — and every refusal is audited. There is no lock-out: the right password with a valid
// authenticator code passes whatever strangers did to the account or the address.

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

export type SignInResult =
  | { ok: true; user: SignedInUser; secondFactor: boolean }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export interface PasswordSignIn {
  email: string;
  password: string;
  /** an authenticator or recovery code, when the person gives one */
  secondFactorCode?: string;
  ip: string;
}

interface CountRow {
  pair_n: number;
  pair_ago: number | null;
  account_n: number;
  account_ago: number | null;
  address_n: number;
  address_ago: number | null;
}

// "at" is a timestamp without time zone written in UTC (as Prisma writes it): compare it with
// the UTC clock, whatever the server's TimeZone
async function countsOf(tx: Tx, email: string, ip: string): Promise<Record<ThrottleScope, FailureCount>> {
  const rows = await tx.$queryRaw<CountRow[]>`
    with clock as (select now() at time zone 'UTC' as now),
    reset as (
      select coalesce(max(at), '-infinity'::timestamp) as account,
        coalesce(max(at) filter (where ip = ${ip}), '-infinity'::timestamp) as pair
      from "SignInAttempt" where email = ${email} and succeeded
    ), recent as (
      select at, email = ${email} and at > (select account from reset) as by_account,
        email = ${email} and ip = ${ip} and at > (select pair from reset) as by_pair, ip = ${ip} as by_address
      from "SignInAttempt"
      where not succeeded and at > (select now from clock) - make_interval(mins => ${FAILURE_WINDOW_MINUTES})
        and (email = ${email} or ip = ${ip})
    )
    select
      count(*) filter (where by_pair)::int as pair_n,
      extract(epoch from (select now from clock) - max(at) filter (where by_pair))::float8 as pair_ago,
      count(*) filter (where by_account)::int as account_n,
      extract(epoch from (select now from clock) - max(at) filter (where by_account))::float8 as account_ago,
      count(*) filter (where by_address)::int as address_n,
      extract(epoch from (select now from clock) - max(at) filter (where by_address))::float8 as address_ago
    from recent`;
  const r = rows[0];
  if (!r) throw new Error("the sign-in throttle query returned no row");
  return {
    address_account: { failures: r.pair_n, secondsAgo: r.pair_ago },
    account: { failures: r.account_n, secondsAgo: r.account_ago },
    address: { failures: r.address_n, secondsAgo: r.address_ago },
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** How long this account at this address must wait now. Read-only; used before any work. */
export async function signInThrottle(rawEmail: string, ip: string): Promise<Wait> {
  const email = normalizeEmail(rawEmail);
  return db().$transaction(async (tx) => waitFor(await countsOf(tx, email, ip)));
}

/**
 * The one place sign-in asks about a second factor. It runs outside the sign-in transaction:
 * it opens its own, and the embedded database has a single connection.
 */
function secondFactorPasses(userId: string, code: string, ip: string): Promise<boolean> {
  return verifySecondFactorCode(userId, code, ip);
}

export async function signInWithPassword(input: PasswordSignIn): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const { ip } = input;
  const code = input.secondFactorCode?.trim() || null;
  // the hash is checked outside the transaction: it is slow on purpose, and must not hold the
  // connection (the embedded database has one)
  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, active: true, passwordHash: true },
  });
  const passwordOk = (await verifyPassword(input.password, user?.passwordHash ?? null)) && user !== null && user.active;
  // a code is looked at only behind the right password: it cannot be guessed on its own
  const codeOk = passwordOk && code !== null ? await secondFactorPasses(user.id, code, ip) : false;

  return db().$transaction(async (tx) => {
    // one attempt per account and per address at a time: parallel guesses cannot all slip in
    // before any of them is recorded (always the account's lock first: no deadlock)
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('signin:email:' || ${email})), pg_advisory_xact_lock(hashtext('signin:ip:' || ${ip}))`;
    const wait = waitFor(await countsOf(tx, email, ip));
    if (wait.retryAfterSeconds > 0 && !codeOk) {
      await audit(
        tx,
        { label: email },
        {
          action: "auth.sign_in.throttled",
          entityType: "User",
          entityId: user?.id ?? null,
          after: { email, scope: wait.scope, failures: wait.failures, retryAfterSeconds: wait.retryAfterSeconds },
          ip,
        },
      );
      return { ok: false, reason: "throttled", retryAfterSeconds: wait.retryAfterSeconds } as const;
    }
    // a code given must be right: whoever typed one asked for it to count
    const succeeded = passwordOk && (code === null || codeOk);
    await tx.$executeRaw`insert into "SignInAttempt" (email, ip, succeeded, at) values (${email}, ${ip}, ${succeeded}, now() at time zone 'UTC')`;
    if (!succeeded || !user) {
      await audit(
        tx,
        { label: email },
        {
          action: "auth.sign_in.failed",
          entityType: "User",
          entityId: user?.id ?? null,
          // why, for the audit reader only; the person signing in sees one generic message
          after: {
            email,
            reason: !user
              ? "unknown email"
              : !user.active
                ? "deactivated"
                : passwordOk
                  ? "wrong authentication code"
                  : "wrong password",
          },
          ip,
        },
      );
      return { ok: false, reason: "invalid" } as const;
    }
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await audit(
      tx,
      { label: user.name ?? user.email, userId: user.id },
      {
        action: "auth.sign_in",
        entityType: "User",
        entityId: user.id,
        // passedDelay: the right password and a second factor went past a delay others caused
        after: { method: "password", secondFactor: codeOk, ...(wait.scope ? { passedDelay: wait.scope } : {}) },
        ip,
      },
    );
    return { ok: true, user: { id: user.id, email: user.email, name: user.name }, secondFactor: codeOk } as const;
  });
}

import "server-only";
import { verifyPassword } from "@/lib/password";
import { db } from "../../db";
import { audit } from "../audit/record";

// Built-in sign-in with email and password. Failures get one generic answer whether or not the
// account exists; after MAX_FAILURES in WINDOW for one account or one address, further
// attempts are refused until the window passes (429 with Retry-After over HTTP), and audited.

export const MAX_FAILURES = 5;
export const WINDOW_MINUTES = 15;

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

export type SignInResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

interface Throttle {
  failures: number;
  retryAfterSeconds: number;
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

/** Failures in the window for this email or this address, and when the oldest counted one expires. */
async function throttleOf(tx: Tx, email: string, ip: string): Promise<Throttle> {
  const rows = await tx.$queryRaw<{ failures: number; retryAfterSeconds: number }[]>`
    with recent as (
      select at, email = ${email} as by_email, ip = ${ip} as by_ip
      from "SignInAttempt"
      where not succeeded and at > now() - make_interval(mins => ${WINDOW_MINUTES}) and (email = ${email} or ip = ${ip})
    ), per_key as (
      select count(*) filter (where by_email) as n, (array_agg(at order by at desc) filter (where by_email))[${MAX_FAILURES}] as nth from recent
      union all
      select count(*) filter (where by_ip), (array_agg(at order by at desc) filter (where by_ip))[${MAX_FAILURES}] from recent
    )
    select coalesce(max(n), 0)::int as failures,
      coalesce(ceil(max(extract(epoch from (nth + make_interval(mins => ${WINDOW_MINUTES}) - now())))), 0)::int as "retryAfterSeconds"
    from per_key`;
  return rows[0] ?? { failures: 0, retryAfterSeconds: 0 };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Is this account or address currently locked out? Read-only; used before any work. */
export async function signInThrottle(rawEmail: string, ip: string): Promise<Throttle> {
  const email = normalizeEmail(rawEmail);
  return db().$transaction((tx) => throttleOf(tx, email, ip));
}

export async function signInWithPassword(input: {
  email: string;
  password: string;
  ip: string;
}): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const { ip } = input;
  // the hash is checked outside the transaction: it is slow on purpose, and must not hold the
  // connection (the embedded database has one)
  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, active: true, passwordHash: true },
  });
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? null);

  return db().$transaction(async (tx) => {
    // one attempt per account and per address at a time: parallel guesses cannot all slip in
    // under the limit before any of them is recorded
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('signin:email:' || ${email})), pg_advisory_xact_lock(hashtext('signin:ip:' || ${ip}))`;
    const throttle = await throttleOf(tx, email, ip);
    if (throttle.failures >= MAX_FAILURES) {
      await audit(
        tx,
        { label: email },
        {
          action: "auth.sign_in.throttled",
          entityType: "User",
          entityId: user?.id ?? null,
          after: { email, failures: throttle.failures },
          ip,
        },
      );
      return { ok: false, reason: "throttled", retryAfterSeconds: Math.max(1, throttle.retryAfterSeconds) } as const;
    }
    const succeeded = passwordOk && user !== null && user.active;
    await tx.signInAttempt.create({ data: { email, ip, succeeded } });
    if (!succeeded || !user) {
      await audit(
        tx,
        { label: email },
        {
          action: "auth.sign_in.failed",
          entityType: "User",
          entityId: user?.id ?? null,
          // why, for the audit reader only; the person signing in sees one generic message
          after: { email, reason: !user ? "unknown email" : !user.active ? "deactivated" : "wrong password" },
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
        after: { method: "password" },
        ip,
      },
    );
    return { ok: true, user: { id: user.id, email: user.email, name: user.name } } as const;
  });
}

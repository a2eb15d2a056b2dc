import { z } from "zod";
import { parseTrustedProxies } from "./client-ip";

// Every environment variable Greenlight reads, parsed once. A missing or malformed value fails
// with one line that names the variable (the README's configuration table lists the same set).
const postgresUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, "must look like postgresql://user:password@host:5432/database");

/** GREENLIGHT_URL: an http(s) origin; Next serves Greenlight at the root of its host. */
const publicUrlSetting = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be the address people use, like https://greenlight.example.com" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      ctx.addIssue({ code: "custom", message: "must start with https:// (or http://)" });
    else if (url.pathname !== "/" || url.search || url.hash || url.username || url.password)
      ctx.addIssue({
        code: "custom",
        message: `must be an origin only, like ${url.origin}: Greenlight is served at the root of its host`,
      });
  });

const trustedProxiesSetting = z.string().superRefine((v, ctx) => {
  try {
    parseTrustedProxies(v);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message.replace(/^GREENLIGHT_TRUSTED_PROXIES: /, "") });
  }
});

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  GREENLIGHT_DATA_DIR: z.string().min(1).default(".data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  GREENLIGHT_COUNT_QUERIES: z.enum(["0", "1"]).default("0"),
  /** "off": this instance serves pages only and leaves deploys to other instances' workers */
  GREENLIGHT_WORKER: z.enum(["on", "off"]).default("on"),
  /** seconds without a heartbeat after which a running deploy counts as interrupted */
  GREENLIGHT_DEPLOY_STALE_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  /** on SIGTERM, how long running deploys may take to finish before they are cut off as interrupted */
  GREENLIGHT_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** where `npm run flags-edge` (the stand-alone flag evaluation service) listens; 0: any free port */
  GREENLIGHT_FLAGS_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  GREENLIGHT_FLAGS_HOST: z.string().trim().min(1).default("0.0.0.0"),
  /** how often the flag evaluation service writes which flags it evaluated (lib/serve/seen.ts) */
  GREENLIGHT_FLAG_SEEN_FLUSH_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** a flag no environment evaluated for this many days is marked stale on the grid */
  GREENLIGHT_STALE_FLAG_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** how long one attempt at a notification (an email, a webhook call) may take */
  GREENLIGHT_DELIVERY_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(120).default(10),
  /** when set, every notification retry waits this long instead of 5 s, 30 s, 2 min, 10 min, 30 min (tests, trials) */
  GREENLIGHT_DELIVERY_RETRY_SECONDS: z.coerce.number().min(0).max(3600).optional(),
  /** notification deliveries one process sends at a time */
  GREENLIGHT_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(32),
  /** the preset `npm start` loads into an empty database; "none" leaves it empty */
  GREENLIGHT_SEED_PRESET: z.string().trim().min(1).default("demo"),
  /** the address people use to reach Greenlight; required with DATABASE_URL (lib/cli/auth-secret.ts) */
  GREENLIGHT_URL: publicUrlSetting.optional(),
  /** the reverse proxies whose X-Forwarded-* headers count (lib/client-ip.ts) */
  GREENLIGHT_TRUSTED_PROXIES: trustedProxiesSetting.optional(),
  /** replaced by GREENLIGHT_TRUSTED_PROXIES: a set value stops the start with a message saying so */
  GREENLIGHT_TRUST_PROXY: z
    .never({
      error: "was replaced by GREENLIGHT_TRUSTED_PROXIES: list your proxies' addresses, e.g. 10.0.0.5 or 10.0.0.0/8",
    })
    .optional(),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // empty strings mean "unset" (a blank line in .env must not turn into a bad URL)
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new EnvError(`${issue.path.join(".")} ${issue.message}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  return (cached ??= parseEnv());
}

/** Tests that change process.env call this so the next env() reads it again. */
export function forgetParsedEnv(): void {
  cached = undefined;
}

/** The URL with its password replaced by ****, safe for logs and error messages. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

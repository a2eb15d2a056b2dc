import { BUILT_IN_ROLES } from "@/lib/domain/permissions";
import type { HealthCheck } from "@/lib/domain/health-checks";
import { testingInStaging } from "./001-ledgerline";
import { amariseDeploymentChecklist, amariseFlags } from "./002-amarise";
import {
  ADMIN_ROLE,
  type Actor,
  type HistoryDeployment,
  type HistoryLogLine,
  type HistoryRelease,
  type Preset,
  type PresetDeployTarget,
  type PresetFreezeWindow,
  type PresetHistory,
  type PresetUser,
} from "./types";

// The default demo: a fictional online shop with five services, combining the seed documents
// (seed 000's role vocabulary, seed 001's staging checklist, seed 002's flags and sectioned
// deployment checklist) with ninety days of history, so that every screen has something to
// show. The history is generated from a fixed seed relative to "now": the same `now` always
// gives the same releases, and the newest ones sit at every stage of the pipeline.

// ---------------------------------------------------------------------------------------------
// People, services, freeze window
// ---------------------------------------------------------------------------------------------

const ORG = "demo.example";
const PEOPLE = {
  admin: { email: `ana.admin@${ORG}`, name: "Ana Ruiz" },
  productOwner: { email: `priya.product-owner@${ORG}`, name: "Priya Nair" },
  qa: { email: `quentin.qa@${ORG}`, name: "Quentin Moreau" },
  developer: { email: `diego.developer@${ORG}`, name: "Diego Santos" },
  devops: { email: `dana.devops@${ORG}`, name: "Dana Kim" },
  operations: { email: `omar.operations@${ORG}`, name: "Omar Haddad" },
  businessOwner: { email: `beatrice.business-owner@${ORG}`, name: "Béatrice Koné" },
  // two more developers, so the history has more than one author
  lena: { email: `lena.fischer@${ORG}`, name: "Lena Fischer" },
  kwame: { email: `kwame.mensah@${ORG}`, name: "Kwame Mensah" },
};

const users: PresetUser[] = [
  { ...PEOPLE.admin, roles: ["admin"] },
  { ...PEOPLE.productOwner, roles: ["product_owner"] },
  { ...PEOPLE.qa, roles: ["qa"] },
  { ...PEOPLE.developer, roles: ["developer"] },
  { ...PEOPLE.devops, roles: ["devops"] },
  { ...PEOPLE.operations, roles: ["operations"] },
  { ...PEOPLE.businessOwner, roles: ["business_owner"] },
  { ...PEOPLE.lena, roles: ["developer"] },
  { ...PEOPLE.kwame, roles: ["developer"] },
];

const CI_TOKEN = "ci-main";
const DEVELOPERS = [PEOPLE.developer, PEOPLE.lena, PEOPLE.kwame];

type Provider = PresetDeployTarget["provider"];

interface DemoApp {
  key: string;
  name: string;
  description: string;
  firstVersion: [number, number, number];
  /** how production is reached; development and staging always use the simulated command */
  prodProvider: Provider;
  firstPullRequest: number;
  /** headline features, phrased as changelog entries */
  added: string[];
  /** bugs, phrased to follow "Fix …" */
  fixed: string[];
  /** maintenance work */
  changed: string[];
}

const APPS: DemoApp[] = [
  {
    key: "storefront",
    name: "Storefront",
    description: "The customer-facing shop: catalogue, basket and checkout (Next.js)",
    firstVersion: [2, 3, 1],
    prodProvider: "command",
    firstPullRequest: 1380,
    added: [
      "Saved delivery addresses at checkout",
      "Image zoom on product pages",
      "Gift wrapping option in the basket",
      "Shareable wishlists",
      "Search suggestions while typing",
      "Size guide drawer on product pages",
      "Order tracking page with carrier updates",
      "Back-in-stock email sign-up",
      "Ritual collections landing page",
      "Express checkout with saved cards",
      "Recently viewed products strip",
      "Free-shipping progress bar in the basket",
      "Store pickup as a delivery option",
      "Pre-order badge and delivery estimate",
      "Pay in three instalments at checkout",
      "Product comparison for up to four items",
      "Reviews with photos",
      "Loyalty points balance on the account page",
      "Address autocomplete",
      "Gift cards",
    ],
    fixed: [
      "basket total rounded twice for multi-currency orders",
      "promo code lost after a failed payment",
      "category pagination skipping the last page",
      "product page crash when a variant has no image",
      "checkout button staying disabled after an address edit",
      "out-of-stock items ranked first in search",
      "mobile menu staying open after navigation",
      "stale order summary after reloading the confirmation page",
      "layout shift under the home page banner",
      "missing sold-out badge on bundles",
      "cookie banner reappearing on every visit",
      "wrong delivery estimate for overseas addresses",
      "double tap needed on iOS to add to basket",
      "currency switcher resetting the basket",
      "search ignoring accented characters",
      "wishlist heart not filled after sign-in",
      "checkout timing out on slow mobile networks",
      "wrong thumbnail on colour swatches",
      "basket count reset when a guest signs in",
      "broken links in the order confirmation email",
    ],
    changed: [
      "Upgrade Next.js and React",
      "Split the checkout bundle (38 KB less JavaScript)",
      "Add a Playwright journey for guest checkout",
      "Replace moment with Intl date formatting",
      "Upload source maps to error tracking",
      "Move product queries to the catalogue API client",
      "Cache category pages for 60 seconds",
      "Remove the old A/B testing script",
      "Lighthouse budget checks in CI",
      "Serve AVIF images through the image CDN",
      "Drop legacy browser polyfills",
      "Read feature flags from Greenlight's flag API",
    ],
  },
  {
    key: "payments-api",
    name: "Payments API",
    description: "Payment intents, captures, refunds and settlement reports",
    firstVersion: [3, 2, 0],
    prodProvider: "webhook",
    firstPullRequest: 612,
    added: [
      "Partial refunds",
      "3-D Secure 2 challenge flow",
      "Idempotency keys on payment creation",
      "Apple Pay and Google Pay wallets",
      "Payout reconciliation report endpoint",
      "Retry schedule for failed subscription charges",
      "Webhook signatures with key rotation",
      "Settlement in EUR and GBP",
      "Fraud score on payment intents",
      "Refund reasons in finance exports",
      "Card-on-file tokens for returning customers",
      "Dispute evidence upload",
      "Instalment payments for baskets over 200 EUR",
      "Per-merchant payment method settings",
      "SEPA Direct Debit",
      "Refund webhooks for merchants",
      "Daily settlement email",
      "Payment links for customer service",
      "Multiple captures for split shipments",
      "PayPal as a payment method",
    ],
    fixed: [
      "double capture when the provider webhook arrives twice",
      "refunds over 1,000 EUR rejected by validation",
      "time zone drift in daily settlement totals",
      "missing currency on zero-amount authorisations",
      "payment intents stuck in processing after a 3-D Secure timeout",
      "webhook retries ignoring Retry-After",
      "rounding of JPY amounts",
      "connection pool exhaustion during refund bursts",
      "wrong error code for expired cards",
      "reconciliation report missing the last hour of the day",
      "race between capture and cancel",
      "decline reasons not logged for wallet payments",
      "duplicate refund rows in the finance export",
      "settlement file uploaded twice on month end",
      "refund webhooks sent before the refund settled",
      "currency symbol missing on receipts",
      "payment links expiring too early",
      "SEPA mandates stored without the IBAN country",
      "stale exchange rate in GBP settlements",
      "timeouts when the provider answers after 29 seconds",
    ],
    changed: [
      "Upgrade the PostgreSQL driver",
      "Contract tests against the provider sandbox",
      "Trace payment flows with OpenTelemetry",
      "Read secrets through the vault agent",
      "Load-test profile for peak sales days",
      "Drop the legacy charges table",
      "Structured logs for every state change",
      "Separate read replica for reports",
      "Upgrade the payment provider SDK",
      "Rotate webhook signing keys every quarter",
      "Chaos test for provider timeouts",
      "Move scheduled jobs to the job queue",
    ],
  },
  {
    key: "web-admin",
    name: "Web admin",
    description: "Back office for the support, catalogue and finance teams",
    firstVersion: [1, 9, 0],
    prodProvider: "command",
    firstPullRequest: 2210,
    added: [
      "Bulk price editor",
      "Order timeline with every status change",
      "Menus tailored to support agents",
      "CSV export of filtered orders",
      "Refund button on the order page",
      "Stock alerts dashboard",
      "Customer notes visible to support",
      "Promotion scheduler",
      "Dark theme",
      "Keyboard shortcuts in the order list",
      "Returns queue with label printing",
      "Saved filters in the product table",
      "Audit trail for price changes",
      "Supplier contacts on product pages",
      "Bulk order status update",
      "Customer merge tool",
      "Inventory import from CSV",
      "Second approval for refunds over 500 EUR",
      "Stock per warehouse",
      "Two-factor sign-in for staff",
    ],
    fixed: [
      "date filter using the browser's time zone instead of the shop's",
      "product table losing its sort after saving",
      "image uploads over 5 MB failing",
      "session expiring without warning during long edits",
      "negative amounts accepted in the refund field",
      "export ignoring the status filter",
      "case-sensitive order search",
      "sidebar badge counts not refreshing",
      "promotion end date off by one day",
      "line breaks stripped by the description editor",
      "pagination reset after bulk actions",
      "tooltip covering the save button on small screens",
      "duplicate SKUs allowed on import",
      "slow order list for customers with many orders",
      "order list flickering on refresh",
      "wrong totals on the daily sales widget",
      "product images reordered after saving",
      "CSV import rejecting semicolons",
      "staff invitations landing in spam",
      "filters not kept in the URL",
    ],
    changed: [
      "Move tables to TanStack Table",
      "Replace the date picker",
      "Accessibility checks with axe in CI",
      "Remove the unused reports module",
      "Upgrade React",
      "Storybook for form components",
      "Typed API client generated from OpenAPI",
      "Lazy-load the rich-text editor",
      "Upgrade to Tailwind CSS 4",
      "End-to-end tests for refunds",
      "Remove jQuery from the legacy pages",
      "Bundle size report in CI",
    ],
  },
  {
    key: "public-api",
    name: "Public API",
    description: "Partner-facing REST API for catalogue, orders and inventory",
    firstVersion: [4, 0, 2],
    prodProvider: "github_actions",
    firstPullRequest: 455,
    added: [
      "Cursor pagination on GET /v2/products",
      "Order status webhooks for partners",
      "Rate limits per partner",
      "Inventory availability endpoint",
      "OpenAPI 3.1 document and generated SDKs",
      "Read-only API keys",
      "Bulk order import endpoint",
      "ETag caching on catalogue responses",
      "Localised product fields (fr, en, de)",
      "Sandbox mode for partner integrations",
      "Shipment tracking endpoint",
      "Price lists per partner",
      "Partial order cancellation",
      "Webhook delivery log for partners",
      "Webhook retries with exponential back-off",
      "Customer lookup by email",
      "Idempotency keys on order creation",
      "Returns endpoint",
      "Usage statistics per partner",
      "Gzip compression of large responses",
    ],
    fixed: [
      "missing Retry-After header on 429 responses",
      "repeated items in cursor pagination after updates",
      "webhook deliveries not retried after timeouts",
      "wrong content type on error responses",
      "order payloads over 1 MB rejected",
      "old key still active after a partner key rotation",
      "decimal prices serialised as strings in v1",
      "CORS preflight failing for the sandbox domain",
      "stale inventory after restocks",
      "500 instead of 404 for unknown order ids",
      "failed requests counted twice by the rate limiter",
      "removed field still listed in the OpenAPI schema",
      "timeouts on the product search endpoint",
      "partner names truncated at 32 characters",
      "ETag mismatch after price updates",
      "webhook signatures using the wrong timestamp",
      "returns endpoint ignoring partial quantities",
      "slow customer lookup for large partners",
      "pagination links using http instead of https",
      "missing currency on price lists",
    ],
    changed: [
      "Move to Fastify 5",
      "Contract tests against the partner SDKs",
      "Structured access logs",
      "Warm the catalogue cache on deploy",
      "Deprecation headers on v1 endpoints",
      "Separate read and write database pools",
      "Request ids in every error body",
      "Upgrade the OpenAPI validator",
      "Load tests per endpoint in CI",
      "Rate limiter backed by Redis",
      "Upgrade to Node.js 22",
      "API changelog page generated from the OpenAPI document",
    ],
  },
  {
    key: "notifications-worker",
    name: "Notifications worker",
    description: "Queue consumer sending order emails, SMS and push notifications",
    firstVersion: [0, 11, 0],
    prodProvider: "command",
    firstPullRequest: 188,
    added: [
      "SMS order updates",
      "Push notifications for the mobile app",
      "Price-drop digest for wishlists",
      "Notification preferences per customer",
      "Email templates in four languages",
      "Quiet hours for SMS",
      "Abandoned basket reminder",
      "Delivery-day notifications",
      "Bounce handling with automatic suppression",
      "Priority queue for password resets",
      "Back-in-stock alerts",
      "Review request after delivery",
      "Pre-order shipping notices",
      "Batching of marketing emails",
      "WhatsApp order updates",
      "Email preview links for support",
      "Sender domain per brand",
      "Scheduled campaigns",
      "Unsubscribe from a single category",
      "Order-ready notice for store pickup",
    ],
    fixed: [
      "duplicate order confirmations after retries",
      "emails sent in English to French customers",
      "worker stalling after a broker reconnect",
      "SMS split in the middle of a word",
      "quiet hours ignoring daylight saving time",
      "unsubscribe links expiring after 24 hours",
      "push tokens kept after an app uninstall",
      "memory growth in the template cache",
      "retry storm after a provider outage",
      "missing order number in shipping emails",
      "dead-letter queue never drained",
      "wrong sender name for marketplace orders",
      "HTML entities in SMS bodies",
      "push notifications sent twice on Android",
      "campaigns sent twice after a worker restart",
      "wrong local time in delivery-day emails",
      "preview links visible without signing in",
      "bounced addresses retried forever",
      "pickup notice sent before the order was ready",
      "missing images in Outlook",
    ],
    changed: [
      "Upgrade to Node.js 22",
      "Email templates rebuilt with MJML",
      "Queue lag metrics",
      "Graceful shutdown on SIGTERM",
      "Consume messages in batches of 50",
      "Load test against the SMS provider sandbox",
      "Move templates to their own package",
      "Alert when the dead-letter queue grows",
      "Idempotent consumers keyed by message id",
      "Separate queues for transactional and marketing messages",
      "Upgrade the SMS provider client",
      "Trace messages end to end",
    ],
  },
];

/** Weekend freeze on production: Friday 16:00 to Monday 08:00, Paris time. */
const FREEZE: PresetFreezeWindow & { kind: "weekly" } = {
  envKey: "production",
  kind: "weekly",
  reason: "Weekend freeze: no production changes from Friday 16:00 to Monday 08:00",
  timeZone: "Europe/Paris",
  weekday: 5,
  startMinute: 16 * 60,
  durationMinutes: (8 + 48 + 8) * 60,
};

// ---------------------------------------------------------------------------------------------
// Randomness and time
// ---------------------------------------------------------------------------------------------

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** mulberry32: tiny, fast, and the same sequence on every machine. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  hex(length: number): string {
    let s = "";
    while (s.length < length) s += this.int(0, 0xffff).toString(16).padStart(4, "0");
    return s.slice(0, length);
  }
}

/** When the team works: weekdays, 08:00–17:00 UTC. */
function isWorkTime(t: number): boolean {
  const d = new Date(t);
  const day = d.getUTCDay();
  const hour = d.getUTCHours();
  return day >= 1 && day <= 5 && hour >= 8 && hour < 17;
}

/**
 * When production deploys happen: Monday to Thursday 08:00–15:00 UTC and Friday mornings. In
 * UTC so that it holds in summer and winter; it always stays clear of the Paris weekend freeze.
 */
function isProductionTime(t: number): boolean {
  const d = new Date(t);
  const day = d.getUTCDay();
  const hour = d.getUTCHours();
  return hour >= 8 && ((day >= 1 && day <= 4 && hour < 15) || (day === 5 && hour < 12));
}

/** The first moment at or after t that `ok` accepts, plus some jitter that stays accepted. */
function after(t: number, ok: (t: number) => boolean, rng: Rng): number {
  let x = t;
  while (!ok(x)) x += 10 * MINUTE;
  const jittered = x + rng.int(0, 90) * MINUTE;
  return x === t || !ok(jittered) ? x : jittered;
}

/** The last moment at or before t that `ok` accepts. */
function before(t: number, ok: (t: number) => boolean): number {
  let x = t;
  while (!ok(x)) x -= 10 * MINUTE;
  return x;
}

const PARIS = new Intl.DateTimeFormat("en-US", {
  timeZone: FREEZE.timeZone,
  weekday: "short",
  hour: "numeric",
  minute: "numeric",
  hourCycle: "h23",
});
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function inFreeze(t: number): boolean {
  const parts = PARIS.formatToParts(new Date(t));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const minuteOfWeek = WEEKDAYS.indexOf(part("weekday")) * 1440 + Number(part("hour")) * 60 + Number(part("minute"));
  const start = FREEZE.weekday * 1440 + FREEZE.startMinute;
  const end = start + FREEZE.durationMinutes;
  return (minuteOfWeek >= start && minuteOfWeek < end) || minuteOfWeek + 7 * 1440 < end;
}

function duration(ms: number): string {
  const s = Math.round(ms / SECOND);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

type LogSpec = [HistoryLogLine["stream"], string];

/** Log lines spread evenly from start to end. */
function spread(start: number, end: number, lines: LogSpec[]): HistoryLogLine[] {
  const step = lines.length > 1 ? (end - start) / (lines.length - 1) : 0;
  return lines.map(([stream, line], i) => ({ at: new Date(Math.round(start + i * step)), stream, line }));
}

// ---------------------------------------------------------------------------------------------
// One service's timeline
// ---------------------------------------------------------------------------------------------

type Person = { email: string; name: string };
const by = (p: Person): Actor => ({ user: p.email });

const STAGING_NOTES: Record<number, string> = {
  2: "3x expected traffic: p95 stayed under 200 ms",
  3: "Killed one of two pods and added 300 ms latency: no user-visible errors",
  5: "Happy paths plus edge cases on Chrome, Safari and Firefox",
};
const PRE_DEPLOYMENT = [0, 1, 2, 3, 4, 5];
const DURING_DEPLOYMENT = [6, 7, 8, 9, 10];
const POST_DEPLOYMENT = [11, 12, 13, 14, 15];

const DEV_FAILURES = [
  "Container exited with code 1: REDIS_URL is not set",
  "Readiness probe failed for 2 minutes: GET /healthz returned 503",
  "Image build failed: npm ci exited with code 1",
];
const STAGING_FAILURES = [
  "Smoke check on the idle colour failed: GET /healthz returned 502 three times",
  "Database migration timed out after 300 s",
  "New pods crash-looped: out of memory at 512 MiB",
];
const PRODUCTION_FAILURES = [
  "Canary pods never became ready: image pull back-off",
  "Deploy hook returned 500 twice; nothing was switched",
];

class Timeline {
  readonly releases: HistoryRelease[] = [];
  private version: [number, number, number];
  private pullRequest: number;
  private pools: { added: string[]; fixed: string[]; changed: string[] };
  private cursors = { added: 0, fixed: 0, changed: 0 };
  private liveColor: "blue" | "green" = "blue";
  private lastStagingAt = 0;
  lastProductionAt = 0;
  /** the release production runs: what a rollback by hand puts back */
  liveInProduction: HistoryRelease | null = null;
  private refs = 0;

  constructor(
    readonly app: DemoApp,
    readonly rng: Rng,
  ) {
    this.version = [...app.firstVersion];
    this.pullRequest = app.firstPullRequest;
    this.pools = { added: rng.shuffled(app.added), fixed: rng.shuffled(app.fixed), changed: rng.shuffled(app.changed) };
  }

  /** The next unused entry of a pool; once a pool is used up, entries come back as follow-ups. */
  private take(pool: "added" | "fixed" | "changed"): string {
    const items = this.pools[pool];
    const i = this.cursors[pool]++;
    const item = items[i % items.length]!;
    if (i < items.length) return item;
    return pool === "fixed" ? `${item} (again, in another code path)` : `${item}, continued`;
  }

  private nextPullRequest(): number {
    this.pullRequest += this.rng.int(1, 7);
    return this.pullRequest;
  }

  /** `headline` names the change when the story needs a particular one; otherwise the pools decide. */
  release(kind: "feature" | "fix" | "hotfix", createdAt: number, createdBy: Actor, headline?: string): HistoryRelease {
    const { rng } = this;
    const [major, minor, patch] = this.version;
    this.version = kind === "feature" ? [major, minor + 1, 0] : [major, minor, patch + 1];
    headline ??= this.take(kind === "feature" ? "added" : "fixed");
    const headlinePr = this.nextPullRequest();
    const added = kind === "feature" ? [`${headline} (#${headlinePr})`] : [];
    const fixed = kind === "feature" ? [] : [`${capitalised(headline)} (#${headlinePr})`];
    if (kind === "fix" && rng.chance(0.2))
      fixed.push(`${capitalised(this.take("fixed"))} (#${this.nextPullRequest()})`);
    const changed =
      kind !== "hotfix" && rng.chance(0.3) ? [`${this.take("changed")} (#${this.nextPullRequest()})`] : [];
    const sections: [string, string[]][] = [
      ["Added", added],
      ["Fixed", fixed],
      ["Changed", changed],
    ];
    const changelog = sections
      .filter(([, items]) => items.length)
      .map(([heading, items]) => `### ${heading}\n${items.map((i) => `- ${i}`).join("\n")}`)
      .join("\n\n");
    const title = kind === "feature" ? headline : kind === "fix" ? `Fix ${headline}` : `Hotfix: ${headline}`;
    const repository = `https://git.demo.example/shop/${this.app.key}`;
    const release: HistoryRelease = {
      appKey: this.app.key,
      version: this.version.join("."),
      commitSha: rng.hex(40),
      commitAt: new Date(createdAt - rng.int(4, 90) * MINUTE),
      title,
      changelog,
      links: [
        { label: `Pull request #${headlinePr}`, url: `${repository}/pulls/${headlinePr}` },
        { label: "CI run", url: `${repository}/actions/runs/${rng.int(40_000, 99_999)}` },
      ],
      createdBy,
      createdAt: new Date(createdAt),
      deployments: [],
      approvals: [],
      checklists: [],
    };
    this.releases.push(release);
    return release;
  }

  private providerRef(provider: Provider): string {
    if (provider === "github_actions") return `run ${this.rng.int(9_100_000_000, 9_899_999_999)}`;
    if (provider === "webhook") return `delivery ${this.rng.hex(8)}-${this.rng.hex(4)}-${this.rng.hex(4)}`;
    return `pid ${this.rng.int(2_000, 64_000)}`;
  }

  private image(r: HistoryRelease): string {
    return `registry.demo.example/shop/${this.app.key}:${r.version}`;
  }

  /** Development: straight after the release is created, auto-promoted by Greenlight. */
  development(r: HistoryRelease, ok: boolean): HistoryDeployment {
    const { rng } = this;
    const queuedAt = r.createdAt.getTime() + rng.int(20, 150) * SECOND;
    const startedAt = queuedAt + rng.int(3, 20) * SECOND;
    const finishedAt = startedAt + (ok ? rng.int(90, 280) : rng.int(40, 120)) * SECOND;
    const reason = ok ? null : rng.pick(DEV_FAILURES);
    const label = `${this.app.key} ${r.version}`;
    const d: HistoryDeployment = {
      envKey: "development",
      status: ok ? "succeeded" : "failed",
      strategy: "direct",
      currentStep: 0,
      trafficPercent: ok ? 100 : 0,
      activeColor: null,
      providerRef: this.providerRef("command"),
      failureReason: reason,
      overrideReason: null,
      triggeredBy: null,
      queuedAt: new Date(queuedAt),
      startedAt: new Date(startedAt),
      finishedAt: new Date(finishedAt),
      log: spread(
        startedAt,
        finishedAt,
        ok
          ? [
              ["system", `Deploying ${label} to Development (direct)`],
              ["stdout", `Pulling ${this.image(r)}`],
              ["stdout", `deployment.apps/${this.app.key} image updated`],
              ["stdout", "Waiting for rollout: 2 of 2 updated replicas are available"],
              ["system", "Health check GET /healthz returned 200"],
              ["system", `Succeeded in ${duration(finishedAt - startedAt)}`],
            ]
          : [
              ["system", `Deploying ${label} to Development (direct)`],
              ["stdout", `Pulling ${this.image(r)}`],
              ["stderr", reason ?? "deploy failed"],
              ["system", `Failed after ${duration(finishedAt - startedAt)}`],
            ],
      ),
    };
    r.deployments.push(d);
    return d;
  }

  /** Staging: blue-green, the idle colour takes all traffic once its smoke check passes. */
  staging(
    r: HistoryRelease,
    at: number,
    outcome: "succeeded" | "failed" | "cancelled",
    trigger: Person,
  ): HistoryDeployment {
    const { rng } = this;
    const queuedAt = Math.max(at, this.lastStagingAt + 30 * MINUTE);
    this.lastStagingAt = queuedAt;
    const idle = this.liveColor === "blue" ? "green" : "blue";
    const label = `${this.app.key} ${r.version}`;
    let d: HistoryDeployment;
    if (outcome === "cancelled") {
      const finishedAt = queuedAt + rng.int(1, 6) * MINUTE;
      d = {
        envKey: "staging",
        status: "cancelled",
        strategy: "blue_green",
        currentStep: 0,
        trafficPercent: 0,
        activeColor: this.liveColor,
        providerRef: null,
        failureReason: "Cancelled before it started: a newer release was on its way",
        overrideReason: null,
        triggeredBy: by(trigger),
        queuedAt: new Date(queuedAt),
        startedAt: null,
        finishedAt: new Date(finishedAt),
        log: [{ at: new Date(finishedAt), stream: "system", line: `Cancelled by ${trigger.name} while queued` }],
      };
    } else {
      const ok = outcome === "succeeded";
      const startedAt = queuedAt + rng.int(5, 40) * SECOND;
      const finishedAt = startedAt + (ok ? rng.int(180, 420) : rng.int(120, 360)) * SECOND;
      const reason = ok ? null : rng.pick(STAGING_FAILURES);
      const took = duration(finishedAt - startedAt);
      const switched: LogSpec[] = [
        ["system", `Smoke check GET /healthz on ${idle} returned 200 in ${rng.int(30, 120)} ms`],
        ["system", `Switched 100% of traffic to ${idle}; ${this.liveColor} kept as standby`],
        ["system", `Succeeded in ${took}`],
      ];
      d = {
        envKey: "staging",
        status: outcome,
        strategy: "blue_green",
        currentStep: 0,
        trafficPercent: ok ? 100 : 0,
        // the colour serving traffic afterwards: the new one, or the old one if the switch never happened
        activeColor: ok ? idle : this.liveColor,
        providerRef: this.providerRef("command"),
        failureReason: reason,
        overrideReason: null,
        triggeredBy: by(trigger),
        queuedAt: new Date(queuedAt),
        startedAt: new Date(startedAt),
        finishedAt: new Date(finishedAt),
        log: spread(startedAt, finishedAt, [
          ["system", `Deploying ${label} to Staging (blue-green): ${idle} is idle`],
          ["stdout", `Pulling ${this.image(r)}`],
          ["stdout", `${idle}: 2 of 2 replicas ready`],
          ...(reason === null
            ? switched
            : ([
                ["stderr", reason],
                ["system", `Traffic stays on ${this.liveColor}; failed after ${took}`],
              ] satisfies LogSpec[])),
        ]),
      };
      if (ok) this.liveColor = idle;
    }
    r.deployments.push(d);
    return d;
  }

  /**
   * Production: canary 5% → 50% → 100% with the environment's pauses. "rolled_back" is the
   * automatic rollback when the error rate crosses the threshold at the first step; "running"
   * stops the story at 50%, at `now`.
   */
  production(
    r: HistoryRelease,
    at: number,
    outcome: "succeeded" | "failed" | "rolled_back" | "running",
    trigger: Person,
    options: { now?: number; overrideReason?: string } = {},
  ): HistoryDeployment {
    const { rng } = this;
    const queuedAt = at;
    const startedAt = queuedAt + rng.int(10, 50) * SECOND;
    const rollout = startedAt + rng.int(120, 300) * SECOND;
    const label = `${this.app.key} ${r.version}`;
    const provider = this.app.prodProvider;
    const opening: LogSpec[] = [
      ["system", `Deploying ${label} to Production (canary 5% → 50% → 100%)`],
      [
        "stdout",
        provider === "github_actions"
          ? "Dispatched workflow deploy.yml on main"
          : provider === "webhook"
            ? `POST https://deploy.demo.example/hooks/${this.app.key} answered 202`
            : `Pulling ${this.image(r)}`,
      ],
      ["stdout", "canary: 1 of 1 replica ready"],
    ];
    const step5 = `Traffic at 5%: error rate 0.${rng.int(1, 6)}%, 20 of 20 health checks passed`;
    let currentStep = 2;
    let trafficPercent = 100;
    let finishedAt: number | null;
    let reason: string | null = null;
    let lines: LogSpec[];
    if (outcome === "succeeded") {
      finishedAt = rollout + (600 + 900 + rng.int(5, 90)) * SECOND;
      lines = [
        ...opening,
        ["system", step5],
        ["system", `Traffic at 50%: error rate 0.${rng.int(1, 6)}%, 30 of 30 health checks passed`],
        ["system", "Traffic at 100%: canary promoted, previous version scaled down"],
        ["system", `Succeeded in ${duration(finishedAt - startedAt)}`],
      ];
    } else if (outcome === "failed") {
      finishedAt = rollout;
      currentStep = 0;
      trafficPercent = 0;
      reason = rng.pick(PRODUCTION_FAILURES);
      lines = [
        ...opening.slice(0, 2),
        ["stderr", reason],
        ["system", `Failed after ${duration(finishedAt - startedAt)}; no traffic was moved`],
      ];
    } else if (outcome === "rolled_back") {
      finishedAt = rollout + rng.int(150, 420) * SECOND;
      currentStep = 0;
      trafficPercent = 0;
      const rate = `${rng.int(5, 9)}.${rng.int(0, 9)}%`;
      reason = `Error rate ${rate} over the 2% threshold at 5% traffic: rolled back automatically`;
      lines = [
        ...opening,
        ["stderr", `Traffic at 5%: error rate ${rate} is over the 2% threshold`],
        ["system", "Rolling back: all traffic returned to the previous version"],
        ["system", `Rolled back after ${duration(finishedAt - startedAt)}`],
      ];
    } else {
      finishedAt = null;
      currentStep = 1;
      trafficPercent = 50;
      lines = [
        ...opening,
        ["system", step5],
        ["system", "Traffic at 50%: holding for 15 minutes while health checks run"],
      ];
    }
    const d: HistoryDeployment = {
      ref: `${this.app.key}#${++this.refs}`,
      envKey: "production",
      status: outcome,
      strategy: "canary",
      currentStep,
      trafficPercent,
      activeColor: null,
      providerRef: this.providerRef(provider),
      failureReason: reason,
      overrideReason: options.overrideReason ?? null,
      triggeredBy: by(trigger),
      queuedAt: new Date(queuedAt),
      startedAt: new Date(startedAt),
      finishedAt: finishedAt === null ? null : new Date(finishedAt),
      // a running rollout has logged up to a moment ago
      log: spread(startedAt, finishedAt ?? (options.now ?? rollout) - 30 * SECOND, lines),
    };
    r.deployments.push(d);
    this.lastProductionAt = finishedAt ?? queuedAt;
    if (outcome === "succeeded") this.liveInProduction = r;
    return d;
  }

  /**
   * A hotfix for a release that failed or was rolled back in production at `failedAt`: made
   * within hours, straight through staging, and deployed at the next production slot.
   */
  hotfix(failedAt: number, author: Person): HistoryRelease {
    const { rng } = this;
    const createdAt = failedAt + rng.int(40, 150) * MINUTE;
    const r = this.release("hotfix", createdAt, by(author));
    this.development(r, true);
    const staged = this.staging(r, createdAt + 20 * MINUTE, "succeeded", PEOPLE.devops);
    const stagedAt = staged.finishedAt!.getTime();
    const prodAt = after(Math.max(stagedAt + 45 * MINUTE, this.lastProductionAt + 30 * MINUTE), isProductionTime, rng);
    this.stagingChecklist(r, stagedAt + 5 * MINUTE, prodAt - 20 * MINUTE);
    this.approve(r, prodAt - 10 * MINUTE, "approved", "Hotfix for what broke in production: go.");
    const deployed = this.production(r, prodAt, "succeeded", PEOPLE.operations);
    this.productionChecklist(r, stagedAt + 10 * MINUTE, deployed);
    return r;
  }

  /** Operations undo a release that went out fine but misbehaved: the previous release is deployed again. */
  rollBack(
    bad: HistoryDeployment,
    badRelease: HistoryRelease,
    previous: HistoryRelease,
    at: number,
    reason: string,
  ): void {
    const { rng } = this;
    const startedAt = at + rng.int(5, 20) * SECOND;
    const finishedAt = startedAt + rng.int(70, 160) * SECOND;
    bad.status = "rolled_back";
    bad.failureReason = `Rolled back by ${PEOPLE.operations.name}: ${reason}`;
    previous.deployments.push({
      rollbackOfRef: bad.ref,
      envKey: "production",
      status: "succeeded",
      strategy: "direct",
      currentStep: 0,
      trafficPercent: 100,
      activeColor: null,
      providerRef: this.providerRef(this.app.prodProvider),
      failureReason: null,
      overrideReason: null,
      triggeredBy: by(PEOPLE.operations),
      queuedAt: new Date(at),
      startedAt: new Date(startedAt),
      finishedAt: new Date(finishedAt),
      log: spread(startedAt, finishedAt, [
        ["system", `Rollback of ${this.app.key} ${badRelease.version} requested by ${PEOPLE.operations.name}`],
        ["system", `Deploying ${this.app.key} ${previous.version} to Production (direct, all traffic at once)`],
        ["stdout", `Pulling ${this.image(previous)}`],
        ["system", `Traffic at 100% on ${previous.version}`],
        ["system", `Succeeded in ${duration(finishedAt - startedAt)}`],
      ]),
    });
    this.lastProductionAt = finishedAt;
    this.liveInProduction = previous;
  }

  approve(r: HistoryRelease, at: number, decision: "approved" | "rejected", comment: string | null): void {
    r.approvals.push({
      envKey: "production",
      userEmail: PEOPLE.productOwner.email,
      roleKey: "product_owner",
      decision,
      comment,
      at: new Date(at),
    });
  }

  /** QA ticks the first `count` staging items between `from` and `to`; the migration item only when there was one. */
  stagingChecklist(r: HistoryRelease, from: number, to: number, count = testingInStaging.items.length): void {
    const hasMigration = this.rng.chance(0.3);
    const indexes = [...Array(count).keys()].filter((i) => i !== 4 || hasMigration);
    const step = (to - from) / Math.max(indexes.length, 1);
    r.checklists.push({
      envKey: "staging",
      ticks: indexes.map((itemIndex, n) => ({
        itemIndex,
        byEmail: PEOPLE.qa.email,
        at: new Date(Math.round(from + (n + 0.5) * step)),
        note: STAGING_NOTES[itemIndex] ?? null,
      })),
    });
  }

  /**
   * The production deployment checklist: DevOps ticks the pre-deployment part before the
   * deploy and the deployment part while it runs; QA ticks the post-deployment part after a
   * successful one.
   */
  productionChecklist(r: HistoryRelease, preFrom: number, deploy: HistoryDeployment | null): void {
    const start = deploy?.startedAt?.getTime() ?? preFrom + HOUR;
    const tick = (itemIndex: number, at: number, person: Person) => ({
      itemIndex,
      byEmail: person.email,
      at: new Date(at),
      note: null,
    });
    const ticks = PRE_DEPLOYMENT.map((i, n) =>
      tick(i, preFrom + ((start - preFrom) * (n + 1)) / (PRE_DEPLOYMENT.length + 1), PEOPLE.devops),
    );
    const end = deploy?.finishedAt?.getTime();
    if (deploy && end !== undefined) {
      ticks.push(
        ...DURING_DEPLOYMENT.map((i, n) =>
          tick(i, start + ((end - start) * (n + 1)) / (DURING_DEPLOYMENT.length + 1), PEOPLE.devops),
        ),
      );
      if (deploy.status === "succeeded")
        ticks.push(...POST_DEPLOYMENT.map((i, n) => tick(i, end + (n + 1) * this.rng.int(3, 9) * MINUTE, PEOPLE.qa)));
    }
    r.checklists.push({ envKey: "production", ticks });
  }

  /** A release that goes all the way, with fixed times: the tails of the timelines use it. */
  shipped(
    r: HistoryRelease,
    stagingAt: number,
    prodAt: number,
    outcome: "succeeded" | "rolled_back" = "succeeded",
  ): HistoryDeployment {
    this.development(r, true);
    const staged = this.staging(r, stagingAt, "succeeded", this.rng.pick([...DEVELOPERS, PEOPLE.devops]));
    const stagedAt = staged.finishedAt!.getTime();
    const approvalAt = prodAt - this.rng.int(15, 60) * MINUTE;
    this.stagingChecklist(r, stagedAt + 5 * MINUTE, approvalAt - 5 * MINUTE);
    this.approve(r, approvalAt, "approved", null);
    const deployed = this.production(r, prodAt, outcome, this.rng.pick([PEOPLE.devops, PEOPLE.operations]));
    this.productionChecklist(r, stagedAt + 10 * MINUTE, deployed);
    return deployed;
  }
}

// ---------------------------------------------------------------------------------------------
// Ninety days of ordinary releases
// ---------------------------------------------------------------------------------------------

const REJECTIONS = [
  "The new copy still promises next-day delivery to the islands. Please fix before this ships.",
  "Finance needs the export format agreed first; let's hold this one.",
  "Staging shows the old prices on two bundles. Rejecting until that is explained.",
];

const BAD_WEEK_REASONS = [
  "checkout error rate doubled after the cache change",
  "orders stuck in 'pending' for card payments",
  "search returned no results for a third of queries",
];

/**
 * A release every one and a quarter to two and a half days from `from`; production only before
 * `prodUntil`. Days 49 to 56 of the history are a bad week: production deployments fail or are
 * rolled back (by the canary, or by hand) far more often, and each failure is followed by a
 * hotfix; afterwards the team recovers. The metrics page has a dip and a recovery to show.
 */
function ordinaryReleases(tl: Timeline, from: number, until: number, prodUntil: number): void {
  const { rng } = tl;
  const inBadWeek = (t: number) => t >= from + 49 * DAY && t < from + 56 * DAY;
  // a hotfix takes versions out of turn: the next ordinary release comes after it
  let notBefore = 0;
  for (
    let t = after(from, isWorkTime, rng);
    t < until;
    t = after(Math.max(t + rng.int(30, 60) * HOUR, notBefore), isWorkTime, rng)
  ) {
    const author = rng.chance(0.6) ? { token: CI_TOKEN } : by(rng.pick(DEVELOPERS));
    const r = tl.release(rng.chance(0.55) ? "feature" : "fix", t, author);
    const dev = tl.development(r, !rng.chance(0.05));
    // a failed build is fixed by the next release; some releases are overtaken before staging
    if (dev.status !== "succeeded" || rng.chance(0.08)) continue;
    const outcome = rng.chance(0.07) ? "failed" : rng.chance(0.03) ? "cancelled" : "succeeded";
    const staged = tl.staging(
      r,
      after(dev.finishedAt!.getTime() + rng.int(1, 8) * HOUR, isWorkTime, rng),
      outcome,
      rng.pick([...DEVELOPERS, PEOPLE.devops]),
    );
    if (staged.status !== "succeeded") continue;
    const stagedAt = staged.finishedAt!.getTime();
    // soak first (30 minutes), then wait for a production slot after the previous production deploy
    const prodAt = after(
      Math.max(stagedAt + 30 * MINUTE + rng.int(3, 30) * HOUR, tl.lastProductionAt + 2 * HOUR),
      isProductionTime,
      rng,
    );
    if (prodAt >= prodUntil || rng.chance(0.08)) {
      // overtaken by the next release while QA was still testing
      tl.stagingChecklist(r, stagedAt + 10 * MINUTE, stagedAt + 6 * HOUR, rng.int(2, 6));
      continue;
    }
    if (rng.chance(0.06)) {
      tl.stagingChecklist(r, stagedAt + 10 * MINUTE, stagedAt + 5 * HOUR);
      tl.approve(r, stagedAt + 6 * HOUR, "rejected", rng.pick(REJECTIONS));
      continue;
    }
    const approvalAt = prodAt - rng.int(15, 180) * MINUTE;
    tl.stagingChecklist(r, stagedAt + 10 * MINUTE, Math.max(approvalAt - 10 * MINUTE, stagedAt + 20 * MINUTE));
    tl.approve(
      r,
      Math.max(approvalAt, stagedAt + 30 * MINUTE),
      "approved",
      rng.chance(0.3) ? "Checked the changelog and staging: go." : null,
    );
    const bad = inBadWeek(prodAt);
    const previous = tl.liveInProduction;
    const deployed = tl.production(
      r,
      prodAt,
      bad
        ? rng.pick(["rolled_back", "failed", "rolled_back", "succeeded"] as const)
        : rng.chance(0.05)
          ? "failed"
          : "succeeded",
      rng.pick([PEOPLE.devops, PEOPLE.operations]),
    );
    tl.productionChecklist(r, stagedAt + 15 * MINUTE, deployed);
    let failedAt = deployed.status === "succeeded" ? null : deployed.finishedAt!.getTime();
    // in the bad week, some releases that went out fine are rolled back by hand an hour later
    if (bad && failedAt === null && previous && rng.chance(0.5)) {
      failedAt = deployed.finishedAt!.getTime() + rng.int(30, 90) * MINUTE;
      tl.rollBack(deployed, r, previous, failedAt, rng.pick(BAD_WEEK_REASONS));
    }
    if (bad && failedAt !== null && failedAt + 2 * DAY < prodUntil)
      notBefore = tl.hotfix(failedAt, rng.pick(DEVELOPERS)).createdAt.getTime() + HOUR;
  }
}

// ---------------------------------------------------------------------------------------------
// The last days: each service ends in a different state, so every stage shows something
// ---------------------------------------------------------------------------------------------

const HISTORY_DAYS = 88;

function start(now: number): number {
  return now - HISTORY_DAYS * DAY;
}

/** In production, waiting at the production gate (one approval, QA halfway), one in development, one just created. */
function storefront(tl: Timeline, now: number): void {
  const prodAt = before(now - 4 * DAY, isProductionTime);
  ordinaryReleases(tl, start(now), prodAt - 4 * DAY, prodAt - 6 * HOUR);
  const current = tl.release("feature", prodAt - 26 * HOUR, { token: CI_TOKEN });
  tl.shipped(current, prodAt - 24 * HOUR, prodAt);

  const waiting = tl.release("feature", now - 30 * HOUR, { token: CI_TOKEN });
  tl.development(waiting, true);
  const staged = tl.staging(waiting, now - 28 * HOUR, "succeeded", PEOPLE.developer);
  tl.stagingChecklist(waiting, staged.finishedAt!.getTime() + 15 * MINUTE, now - 3 * HOUR, 6);
  tl.approve(
    waiting,
    now - 2 * HOUR,
    "approved",
    "Changelog reads well. Fine by me once QA has finished the remaining checks.",
  );

  tl.development(tl.release("fix", now - 5 * HOUR, by(PEOPLE.lena)), true);
  tl.release("feature", now - 12 * MINUTE, { token: CI_TOKEN });
}

/** A Friday-evening hotfix shipped through the freeze, then a canary rolling out right now. */
function paymentsApi(tl: Timeline, now: number): void {
  let friday = now - 5 * DAY;
  while (new Date(friday).getUTCDay() !== 5) friday -= DAY;
  const hotfixAt = Date.UTC(
    new Date(friday).getUTCFullYear(),
    new Date(friday).getUTCMonth(),
    new Date(friday).getUTCDate(),
    17,
    0,
  );
  ordinaryReleases(tl, start(now), hotfixAt - 4 * DAY, hotfixAt - 6 * HOUR);

  const hotfix = tl.release(
    "hotfix",
    hotfixAt - 170 * MINUTE,
    by(PEOPLE.developer),
    "3-D Secure callback rejected for some Visa cards",
  );
  tl.development(hotfix, true);
  const staged = tl.staging(hotfix, hotfixAt - 140 * MINUTE, "succeeded", PEOPLE.devops);
  tl.stagingChecklist(hotfix, staged.finishedAt!.getTime() + 5 * MINUTE, hotfixAt - 30 * MINUTE);
  tl.approve(hotfix, hotfixAt - 20 * MINUTE, "approved", "Some Visa cards cannot pay. Ship it tonight, freeze or not.");
  const deployed = tl.production(hotfix, hotfixAt, "succeeded", PEOPLE.operations, {
    overrideReason: "Customers with some Visa cards cannot pay; hotfix agreed with the product owner",
  });
  tl.productionChecklist(hotfix, staged.finishedAt!.getTime() + 10 * MINUTE, deployed);

  const rolling = tl.release("feature", now - 26 * HOUR, { token: CI_TOKEN });
  tl.development(rolling, true);
  const rollingStaged = tl.staging(rolling, now - 24 * HOUR, "succeeded", PEOPLE.kwame);
  tl.stagingChecklist(rolling, rollingStaged.finishedAt!.getTime() + 10 * MINUTE, now - 5 * HOUR);
  tl.approve(rolling, now - 4 * HOUR, "approved", null);
  const rollingAt = now - 3 * HOUR;
  // finished: a deploy "running" in seeded data would have no worker behind it, and the
  // reconciler would rightly fail it as interrupted at the first start
  const running = tl.production(rolling, rollingAt, "succeeded", PEOPLE.devops, {
    now,
    // `now` decides whether this lands in the weekend freeze; if it does, say why it went ahead
    ...(inFreeze(rollingAt) ? { overrideReason: "Partner launch on Monday needs the new payment methods live" } : {}),
  });
  tl.productionChecklist(rolling, rollingStaged.finishedAt!.getTime() + 20 * MINUTE, running);
}

/** In production, and the next release failed in staging. */
function webAdmin(tl: Timeline, now: number): void {
  const prodAt = before(now - 3 * DAY, isProductionTime);
  ordinaryReleases(tl, start(now), prodAt - 4 * DAY, prodAt - 6 * HOUR);
  tl.shipped(tl.release("feature", prodAt - 28 * HOUR, by(PEOPLE.kwame)), prodAt - 26 * HOUR, prodAt);

  const broken = tl.release("feature", now - 26 * HOUR, { token: CI_TOKEN });
  tl.development(broken, true);
  tl.staging(broken, now - 24 * HOUR, "failed", PEOPLE.developer);
}

/** A release rolled back by hand after it reached production, then the fix. */
function publicApi(tl: Timeline, now: number): void {
  const fixAt = before(now - 2 * DAY, isProductionTime);
  const badAt = before(Math.min(now - 6 * DAY, fixAt - DAY), isProductionTime);
  const goodAt = before(badAt - 2 * DAY, isProductionTime);
  ordinaryReleases(tl, start(now), goodAt - 4 * DAY, goodAt - 6 * HOUR);

  const good = tl.release("feature", goodAt - 27 * HOUR, { token: CI_TOKEN });
  tl.shipped(good, goodAt - 25 * HOUR, goodAt);
  const bad = tl.release("feature", badAt - 26 * HOUR, by(PEOPLE.lena));
  const badDeployment = tl.shipped(bad, badAt - 24 * HOUR, badAt);
  tl.rollBack(
    badDeployment,
    bad,
    good,
    badDeployment.finishedAt!.getTime() + 50 * MINUTE,
    "two partners saw 5xx on POST /v2/orders",
  );
  const fix = tl.release(
    "fix",
    fixAt - 26 * HOUR,
    by(PEOPLE.lena),
    "5xx on POST /v2/orders for orders with gift wrapping",
  );
  tl.shipped(fix, fixAt - 24 * HOUR, fixAt);
}

/** A canary rolled back automatically, the fix in production, and the next release waiting for approval. */
function notificationsWorker(tl: Timeline, now: number): void {
  const fixAt = before(now - 2 * DAY, isProductionTime);
  const failedAt = before(Math.min(now - 5 * DAY, fixAt - DAY), isProductionTime);
  ordinaryReleases(tl, start(now), failedAt - 4 * DAY, failedAt - 6 * HOUR);

  tl.shipped(
    tl.release("feature", failedAt - 26 * HOUR, { token: CI_TOKEN }),
    failedAt - 24 * HOUR,
    failedAt,
    "rolled_back",
  );
  tl.shipped(tl.release("fix", fixAt - 26 * HOUR, by(PEOPLE.kwame)), fixAt - 24 * HOUR, fixAt);

  const waiting = tl.release("feature", now - 20 * HOUR, { token: CI_TOKEN });
  tl.development(waiting, true);
  const staged = tl.staging(waiting, now - 19 * HOUR, "succeeded", PEOPLE.devops);
  tl.stagingChecklist(waiting, staged.finishedAt!.getTime() + 10 * MINUTE, now - 4 * HOUR);
  tl.productionChecklist(waiting, staged.finishedAt!.getTime() + 20 * MINUTE, null);
}

const STORIES: Record<string, (tl: Timeline, now: number) => void> = {
  storefront,
  "payments-api": paymentsApi,
  "web-admin": webAdmin,
  "public-api": publicApi,
  "notifications-worker": notificationsWorker,
};

function demoHistory(nowDate: Date): PresetHistory {
  const now = nowDate.getTime();
  const releases = APPS.flatMap((app, i) => {
    const tl = new Timeline(app, new Rng(20_250_101 + i * 7_919));
    STORIES[app.key]?.(tl, now);
    return tl.releases;
  });
  const byToken = releases.filter((r) => "token" in r.createdBy).map((r) => r.createdAt.getTime());
  const nextTuesday = (() => {
    let t = now + DAY;
    while (new Date(t).getUTCDay() !== 2) t += DAY;
    return new Date(Math.floor(t / DAY) * DAY + 8 * HOUR);
  })();
  const preOrdersAt = new Date(before(now - 6 * DAY, isProductionTime));
  return {
    apiTokens: [
      {
        name: CI_TOKEN,
        ownerEmail: PEOPLE.devops.email,
        permissions: ["release.create", "deploy.trigger"],
        createdAt: new Date(start(now) - DAY),
        lastUsedAt: byToken.length ? new Date(Math.max(...byToken)) : null,
      },
    ],
    releases,
    scheduledFlagChanges: [
      {
        flagKey: "preOrders",
        envKey: "production",
        enabled: true,
        rolloutPercent: 10,
        runAt: preOrdersAt,
        status: "applied",
        createdByEmail: PEOPLE.admin.email,
        createdAt: new Date(preOrdersAt.getTime() - DAY),
        appliedAt: new Date(preOrdersAt.getTime() + 4 * SECOND),
      },
      {
        flagKey: "guestCheckout",
        envKey: "production",
        enabled: true,
        rolloutPercent: 25,
        runAt: nextTuesday,
        status: "pending",
        createdByEmail: PEOPLE.admin.email,
        createdAt: new Date(now - 3 * HOUR),
        appliedAt: null,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// The preset
// ---------------------------------------------------------------------------------------------

// Every stage really deploys: lib/deploy/demo/deploy.mjs (re)starts a tiny HTTP service per
// application × environment on a local port that serves the deployed version and /healthz.
// (The webhook and GitHub Actions providers need a reachable endpoint; the seed presets show them.)
const deployTargets: PresetDeployTarget[] = APPS.flatMap((app) =>
  (["development", "staging", "production"] as const).map((env): PresetDeployTarget => ({
    appKey: app.key,
    envKey: env,
    provider: "command",
    // the same script answers "what runs here?" (GREENLIGHT_ACTION=version) by asking the service
    config: {
      command: "node",
      args: ["lib/deploy/demo/deploy.mjs"],
      version: { args: ["lib/deploy/demo/deploy.mjs"] },
    },
    timeoutSeconds: 60,
  })),
);

// Staging and production watch each rollout through the demo service's home page, on the URL the
// deploy script reports (the traffic-splitting proxy; the idle colour for the smoke check): a
// release marked bad answers 500 there, so its canary is rolled back by itself.
const DEMO_HEALTH_CHECKS: HealthCheck[] = [
  {
    kind: "http",
    name: "home page",
    url: "/",
    expectedStatus: 200,
    timeoutSeconds: 5,
    intervalSeconds: 15,
    failuresAllowed: 1,
  },
];

export const demo: Preset = {
  name: "demo",
  title: "Demo shop",
  description:
    "Greenlight's demo: a fictional online shop with five services and 90 days of releases, combining the five seed documents",
  environments: [
    {
      key: "development",
      name: "Development",
      description: "Every merge to main lands here automatically",
      protected: false,
      color: "#16a34a",
      url: "https://dev.demo.example",
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      autoPromote: true,
      rolloutStrategy: "direct",
      rolloutSteps: [],
      healthCheckPath: "/healthz",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "staging",
      name: "Staging",
      description: "Production-like QA: the staging checklist is worked through here before production",
      protected: false,
      color: "#d97706",
      url: "https://staging.demo.example",
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      autoPromote: false,
      rolloutStrategy: "blue_green",
      rolloutSteps: [{ percent: 100, pauseSeconds: 0 }],
      healthCheckPath: "/healthz",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: 5,
      healthChecks: DEMO_HEALTH_CHECKS,
    },
    {
      key: "production",
      name: "Production",
      description:
        "The live shop: 30 minutes in staging first, product owner approval, canary rollout, no changes over the weekend",
      protected: true,
      color: "#dc2626",
      url: "https://shop.demo.example",
      requiredApprovals: 1,
      preventSelfApproval: true,
      soakMinutes: 30,
      autoPromote: false,
      rolloutStrategy: "canary",
      rolloutSteps: [
        { percent: 5, pauseSeconds: 600 },
        { percent: 50, pauseSeconds: 900 },
        { percent: 100, pauseSeconds: 0 },
      ],
      healthCheckPath: "/healthz",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: 2,
      healthChecks: DEMO_HEALTH_CHECKS,
    },
  ],
  roles: [
    ADMIN_ROLE,
    ...BUILT_IN_ROLES.filter((r) => r.key !== "admin").map((r) => ({
      key: r.key,
      name: r.name,
      description: r.description,
      globalPermissions: [],
    })),
  ],
  matrix: {
    admin: { development: "full", staging: "full", production: "full" },
    product_owner: {
      development: "view",
      staging: "read",
      production: { custom: ["environment.view", "audit.view", "release.approve", "flag.approve"] },
    },
    // release.approve in staging lets QA reject (block) a release they found broken
    qa: {
      development: "read",
      staging: {
        custom: [
          "environment.view",
          "audit.view",
          "checklist.tick",
          "release.approve",
          "deploy.trigger",
          "deploy.rollback",
          "flag.toggle",
        ],
      },
      production: { custom: ["environment.view", "checklist.tick"] },
    },
    developer: {
      development: "full",
      staging: { custom: ["environment.view", "audit.view", "release.create", "deploy.trigger", "deploy.rollback"] },
      production: "view",
    },
    devops: {
      development: "full",
      staging: "full",
      production: {
        custom: [
          "environment.view",
          "audit.view",
          "deploy.trigger",
          "deploy.rollback",
          "checklist.tick",
          "flag.toggle",
          "environment.manage",
        ],
      },
    },
    operations: {
      development: "none",
      staging: "read",
      production: {
        custom: [
          "environment.view",
          "audit.view",
          "deploy.trigger",
          "deploy.rollback",
          "checklist.tick",
          "flag.toggle",
          "flag.approve",
        ],
      },
    },
    business_owner: { development: "none", staging: "view", production: "view" },
  },
  checklists: { staging: testingInStaging, production: amariseDeploymentChecklist },
  // seed 002's flags; pre-orders already reach 10% of production, to show a partial rollout
  flags: amariseFlags.map((f) =>
    f.key === "preOrders" ? { ...f, states: { ...f.states, production: { enabled: true, rolloutPercent: 10 } } } : f,
  ),
  applications: APPS.map((a) => ({
    key: a.key,
    name: a.name,
    description: a.description,
    repositoryUrl: `https://git.demo.example/shop/${a.key}`,
  })),
  users,
  freezeWindows: [FREEZE],
  deployTargets,
  history: demoHistory,
  // seed 004's "Metrics and KPIs"
  doraTargets: {
    source: "Seed 004, Metrics and KPIs",
    deploymentsPerWeek: 2,
    leadTimeHours: 2,
    changeFailureRatePercent: 15,
    recoveryMinutes: 60,
  },
};

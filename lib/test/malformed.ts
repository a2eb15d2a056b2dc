import fc from "fast-check";
import { db } from "../db";

// Malformed values for the property-based fuzz tests (lib/data/bad-input.test.ts for every
// operation's input, app/api/bad-input.test.ts for the HTTP routes): what a careless or
// hostile client sends, and what PostgreSQL refuses or cannot represent.

/** The fixed seed of the fuzz tests; FUZZ_SEED=<n> replays another. fast-check prints the seed of a failure. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);

const nested = (depth: number, leaf: unknown, wrap: (inner: unknown) => unknown) => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
};

/** Text PostgreSQL cannot store: a NUL or an unpaired surrogate, somewhere in ordinary text. */
export const unstorableString = fc
  .tuple(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("\0", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "a\0b", "\uDFFF\uD800"),
    fc.string({ maxLength: 12 }),
  )
  .map(([before, bad, after]) => before + bad + after);

const extremeNumber = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  1e308,
  -1e308,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  Number.MIN_VALUE,
  1.5,
  -1,
);

const extremeDate = fc.constantFrom<unknown>(
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59-14:00",
  "+275760-09-13T00:00:00.000Z",
  "-000001-01-01T00:00:00Z",
  "1969-12-31T23:59:59Z",
  "0000-01-01",
  "10000-01-01",
  "2026-02-30",
  "2026-13-01T00:00",
  new Date(8.64e15),
  new Date(-8.64e15),
  new Date(Number.NaN),
  new Date(Date.UTC(10_000, 0, 1)),
);

export const brokenPercentEncoding = fc.constantFrom("%ff", "%E0%A4%A", "%", "%00", "%ED%A0%80", "%%", "%zz", "%C0%AF");

const wrongType = fc.constantFrom<unknown>(null, undefined, true, false, 0, "", " ", [], {}, [null], { "": null }, "1");

// built once: large values cost their size on every use
const HUGE: unknown[] = [
  "x".repeat(100_000),
  "é".repeat(70_000),
  Array.from({ length: 10_000 }, () => "a"),
  Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, i])),
];
const DEEP: unknown[] = [nested(10_000, "bottom", (inner) => [inner]), nested(10_000, 1, (inner) => ({ a: inner }))];
const huge = fc.constantFrom(...HUGE);
const deep = fc.constantFrom(...DEEP);

/** One malformed value of any kind, text PostgreSQL cannot store and extreme dates most often. */
export const malformedValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: unstorableString, weight: 4 },
  { arbitrary: extremeDate, weight: 2 },
  { arbitrary: extremeNumber, weight: 2 },
  { arbitrary: brokenPercentEncoding, weight: 1 },
  { arbitrary: wrongType, weight: 1 },
  { arbitrary: huge, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 30 }), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
);

/** Put in every place of every input before the random ones: the cases that answered 500. */
export const ALWAYS_TRIED: unknown[] = [
  "nul \0 inside",
  "lone \uD800 surrogate",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59-14:00",
  "0000-01-01",
  new Date(Date.UTC(10_000, 0, 1)),
  2 ** 31,
  1e308,
  "%ff",
];

type Path = (string | number)[];

/** Every place in a JSON-like value where a malformed value can go, the whole value first. */
export function placesIn(value: unknown): Path[] {
  const out: Path[] = [[]];
  const walk = (current: unknown, path: Path) => {
    if (Array.isArray(current)) current.forEach((item, i) => (out.push([...path, i]), walk(item, [...path, i])));
    else if (typeof current === "object" && current !== null && !(current instanceof Date))
      for (const [key, item] of Object.entries(current)) {
        out.push([...path, key]);
        walk(item, [...path, key]);
      }
  };
  walk(value, []);
  return out;
}

/** `value` with `replacement` at `path` (a copy; `value` is left as it is). */
export function withValueAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return (value as unknown[]).map((item, i) => (i === head ? withValueAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head!]: withValueAt(record[head!], rest, replacement) };
}

export interface Malformed {
  input: unknown;
  /** where the malformed value went, for the failure message */
  place: string;
}

/**
 * Malformed versions of a valid input: `examples` put each of ALWAYS_TRIED in each place (the
 * whole input included); `arbitrary` puts any malformed value in any place, or adds an unknown
 * field holding one.
 */
export function malformedVersionsOf(valid: unknown): { examples: Malformed[]; arbitrary: fc.Arbitrary<Malformed> } {
  const places = placesIn(valid);
  const at = (path: Path, bad: unknown): Malformed => ({
    input: withValueAt(valid, path, bad),
    place: path.join(".") || "(whole input)",
  });
  const examples = places.flatMap((path) => ALWAYS_TRIED.map((bad) => at(path, bad)));
  const arbitrary = fc.oneof(
    fc.tuple(fc.nat({ max: places.length - 1 }), malformedValue).map(([i, bad]) => at(places[i]!, bad)),
    fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), unstorableString), malformedValue).map(([key, bad]) => ({
      input: typeof valid === "object" && valid !== null ? { ...valid, [key]: bad } : { [key]: bad },
      place: `added field ${JSON.stringify(key)}`,
    })),
  );
  return { examples, arbitrary };
}

/** Columns a call changes whatever its input: a token's last use is stamped before the input is read. */
const BOOKKEEPING: Record<string, string[]> = { '"ApiToken"': ["lastUsedAt"] };

/**
 * A fingerprint of every row of every table (and of pg-boss's jobs): equal before and after a
 * refused call when it changed nothing. Refusals by the access matrix are recorded on purpose
 * (authz.denied), so those audit rows are left out, and so are BOOKKEEPING columns.
 */
export async function rowsFingerprint(): Promise<string> {
  const tables = await db().$queryRaw<{ name: string }[]>`
    select quote_ident(tablename) as name from pg_tables
    where schemaname = 'public' and tablename <> '_prisma_migrations' order by tablename`;
  const parts = tables.map(({ name }) => {
    const filter = name === '"AuditEvent"' ? `where t.action <> 'authz.denied'` : "";
    const skipped = (BOOKKEEPING[name] ?? []).map((column) => ` - '${column}'`).join("");
    const row = `(to_jsonb(t)${skipped})::text`;
    return `select '${name}' || ':' || count(*) || ':' || coalesce(sum(hashtext(${row})::bigint), 0) as part from ${name} t ${filter}`;
  });
  const [jobs] = await db().$queryRaw<{ exists: boolean }[]>`select to_regclass('pgboss.job') is not null as exists`;
  // counted only: pg-boss itself updates its rows' bookkeeping columns
  if (jobs?.exists) parts.push(`select 'pgboss.job:' || count(*) from pgboss.job`);
  const [row] = await db().$queryRawUnsafe<{ fingerprint: string }[]>(
    `select md5(string_agg(part, ',' order by part)) as fingerprint from (${parts.join(" union all ")}) as parts`,
  );
  return row?.fingerprint ?? "";
}

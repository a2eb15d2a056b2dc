import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { evaluate, type EvaluationContext, type Evaluation } from "@/lib/domain/flag-evaluation";
import type { FlagSnapshot, SnapshotEnvironment } from "@/lib/data/flags/snapshot";
import type { EvaluationRecorder } from "./seen";

// The flag evaluation service: a plain node:http handler (no Next, no per-request query) that
// answers applications from an in-memory snapshot (lib/data/flags/snapshot.ts):
//
//   GET  /api/v1/flags?environment=<key>     { "flags": { key: bool }, "version": n }, ETag, 304
//   POST /ofrep/v1/evaluate/flags/<key>      OpenFeature Remote Evaluation Protocol, one flag
//   POST /ofrep/v1/evaluate/flags            … every flag (ETag, 304)
//
// Every request carries an SDK key (`Authorization: Bearer glsdk_…`), which names its
// environment. The handler returns false for any other path, so a server can put it in front of
// another handler. Responses that do not depend on a context are built once per snapshot.
//
// Browsers may call it from any origin (CORS, `Access-Control-Allow-Origin: *`): a request is
// authorized by its bearer SDK key, never by cookies, so no origin gains anything by being
// allowed. OPTIONS answers the preflight that the Authorization header causes.
//
// Each answered evaluation is handed to an EvaluationRecorder (lib/serve/seen.ts), which only
// adds to a Set on the request's path and writes in batches.

/** What the handler reads: swapped whole when the data changes (lib/serve/snapshot-source.ts). */
export interface SnapshotHolder {
  current(): Served | undefined;
}

/** A snapshot with the bytes the GET endpoint sends, built once. */
export interface Served {
  snapshot: FlagSnapshot;
  list: Map<string, ListEntry>;
  /** the 404 for an unknown environment, naming the ones there are */
  unknownEnvironment: Buffer;
}

interface ListEntry {
  body: Buffer;
  etag: string;
  /** the 200's and the 304's headers, built once */
  ok: Record<string, string | number>;
  notModified: Record<string, string>;
}

export const MAX_BODY_BYTES = 64 * 1024;
const FLAGS_PATH = "/api/v1/flags";
const OFREP_PREFIX = "/ofrep/v1/evaluate/flags";
/** the customers' documents read flags with a five-minute cache (seed 002) */
const CACHE_CONTROL = "private, max-age=300";
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag" } as const;
const PREFLIGHT = {
  ...CORS,
  "Access-Control-Allow-Methods": "GET, HEAD, POST",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, If-None-Match",
  "Access-Control-Max-Age": "86400",
  "Content-Length": "0",
} as const;

export function prepare(snapshot: FlagSnapshot): Served {
  const list = new Map<string, ListEntry>();
  for (const [key, environment] of snapshot.environments) {
    const flags: Record<string, boolean> = {};
    // no context: a flag is on when it is on for everyone (rules and shares need a context: OFREP)
    for (const [flagKey, flag] of environment.flags) {
      const answer = evaluate(flagKey, flag, {});
      flags[flagKey] = "value" in answer && answer.value;
    }
    const body = Buffer.from(JSON.stringify({ flags, version: Number(snapshot.version) }));
    const etag = etagOf(body);
    list.set(key, {
      body,
      etag,
      ok: {
        "Content-Type": "application/json",
        "Content-Length": body.length,
        ETag: etag,
        "Cache-Control": CACHE_CONTROL,
        ...CORS,
      },
      notModified: { ETag: etag, "Cache-Control": CACHE_CONTROL, ...CORS },
    });
  }
  const unknownEnvironment = Buffer.from(
    JSON.stringify({
      error: "not_found",
      message: `Unknown environment. Known environments: ${[...snapshot.environments.keys()].join(", ") || "none"}`,
      environments: [...snapshot.environments.keys()],
    }),
  );
  return { snapshot, list, unknownEnvironment };
}

const etagOf = (body: Buffer | string) => `"${createHash("sha1").update(body).digest("base64url")}"`;

/** Handles the flag paths; returns false (touching nothing) for any other request. */
export function createFlagHandler(holder: SnapshotHolder, recorder: EvaluationRecorder = NOT_RECORDED) {
  return function handleFlags(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (path === FLAGS_PATH) {
      if (req.method === "OPTIONS") preflight(req, res);
      else serveList(req, res, holder.current(), q === -1 ? "" : url.slice(q + 1), recorder);
      return true;
    }
    if (path === OFREP_PREFIX || path.startsWith(`${OFREP_PREFIX}/`)) {
      if (req.method === "OPTIONS") preflight(req, res);
      else serveOfrep(req, res, holder.current(), path.slice(OFREP_PREFIX.length + 1), recorder);
      return true;
    }
    return false;
  };
}

const NOT_RECORDED: EvaluationRecorder = {
  all: () => undefined,
  one: () => undefined,
  flush: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

function preflight(req: IncomingMessage, res: ServerResponse) {
  req.resume();
  res.writeHead(204, PREFLIGHT);
  res.end();
}

function serveList(
  req: IncomingMessage,
  res: ServerResponse,
  served: Served | undefined,
  query: string,
  recorder: EvaluationRecorder,
) {
  if (req.method !== "GET" && req.method !== "HEAD") return methodNotAllowed(res, "GET, HEAD");
  if (!served) return unavailable(res);
  const environment = authorize(req, res, served, environmentParam(query));
  if (!environment) return;
  const entry = served.list.get(environment.key);
  if (!entry) return unavailable(res);
  recorder.all(environment);
  if (req.headers["if-none-match"] === entry.etag) {
    res.writeHead(304, entry.notModified);
    res.end();
    return;
  }
  res.writeHead(200, entry.ok);
  res.end(req.method === "HEAD" ? undefined : entry.body);
}

function environmentParam(query: string): string | null {
  if (!query) return null;
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (name !== "environment") continue;
    try {
      return decodeURIComponent((eq === -1 ? "" : pair.slice(eq + 1)).replace(/\+/g, " "));
    } catch {
      return "\u0000"; // undecodable: no environment has that key
    }
  }
  return null;
}

/**
 * The SDK key's environment, or an answer already sent: 401 without a working key, 404 for an
 * environment that does not exist (listing those that do), 403 for another environment's key.
 */
function authorize(
  req: IncomingMessage,
  res: ServerResponse,
  served: Served,
  requested: string | null,
): SnapshotEnvironment | undefined {
  const header = req.headers.authorization;
  const key = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
  const own = key ? served.snapshot.sdkKeys.get(createHash("sha256").update(key).digest("hex")) : undefined;
  if (!own) {
    send(res, 401, {
      error: "unauthorized",
      message: key
        ? "This SDK key is not valid: it was revoked, or never existed"
        : "Send an SDK key: Authorization: Bearer glsdk_…",
    });
    return undefined;
  }
  if (requested === null) return served.snapshot.environments.get(own);
  const environment = served.snapshot.environments.get(requested);
  if (!environment) {
    res.writeHead(404, {
      "Content-Type": "application/json",
      "Content-Length": served.unknownEnvironment.length,
      ...CORS,
    });
    res.end(served.unknownEnvironment);
    return undefined;
  }
  if (environment.key !== own) {
    send(res, 403, {
      error: "forbidden",
      message: `This SDK key reads the flags of "${own}", not of "${environment.key}"`,
    });
    return undefined;
  }
  return environment;
}

// ─── OFREP ──────────────────────────────────────────────────────────────────────────────────────
// https://github.com/open-feature/protocol (service/openapi.yaml): POST with { "context": {…} }.
// Per-flag errors are 400 (PARSE_ERROR, TARGETING_KEY_MISSING, INVALID_CONTEXT) and 404
// (FLAG_NOT_FOUND) with { key, errorCode, errorDetails }; in the bulk answer each flag carries its own.

function serveOfrep(
  req: IncomingMessage,
  res: ServerResponse,
  served: Served | undefined,
  rest: string,
  recorder: EvaluationRecorder,
) {
  if (req.method !== "POST") return methodNotAllowed(res, "POST");
  if (!served) return unavailable(res);
  let flagKey: string | null = null;
  if (rest) {
    try {
      flagKey = decodeURIComponent(rest);
    } catch {
      flagKey = "\u0000";
    }
  }
  const environment = authorize(req, res, served, null);
  if (!environment) {
    req.resume();
    return;
  }
  readBody(req, res, (body) => {
    const parsed = parseContext(body);
    if ("errorCode" in parsed) {
      // a broken request: for one flag, that flag's error; for all, the request's
      send(res, 400, flagKey === null ? parsed : { key: flagKey, ...parsed });
      return;
    }
    if (flagKey !== null) return evaluateOne(res, environment, flagKey, parsed.context, recorder);
    recorder.all(environment);
    evaluateAll(req, res, environment, parsed.context);
  });
}

function evaluateOne(
  res: ServerResponse,
  environment: SnapshotEnvironment,
  key: string,
  context: EvaluationContext,
  recorder: EvaluationRecorder,
) {
  const flag = environment.flags.get(key);
  if (!flag) {
    send(res, 404, {
      key,
      errorCode: "FLAG_NOT_FOUND",
      errorDetails: `No flag "${key}" is served in ${environment.name}`,
    });
    return;
  }
  recorder.one(environment, key);
  const answer = evaluate(key, flag, context);
  send(res, "errorCode" in answer ? 400 : 200, ofrepResult(key, answer));
}

function evaluateAll(
  req: IncomingMessage,
  res: ServerResponse,
  environment: SnapshotEnvironment,
  context: EvaluationContext,
) {
  const flags = [];
  for (const [key, flag] of environment.flags) flags.push(ofrepResult(key, evaluate(key, flag, context)));
  const body = Buffer.from(JSON.stringify({ flags }));
  const etag = etagOf(body);
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, { ETag: etag, ...CORS });
    res.end();
    return;
  }
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length, ETag: etag, ...CORS });
  res.end(body);
}

function ofrepResult(key: string, answer: Evaluation) {
  return "errorCode" in answer
    ? { key, errorCode: answer.errorCode, errorDetails: answer.errorDetails }
    : { key, value: answer.value, reason: answer.reason, variant: answer.variant, metadata: {} };
}

type ParsedContext =
  { context: EvaluationContext } | { errorCode: "PARSE_ERROR" | "INVALID_CONTEXT"; errorDetails: string };

function parseContext(body: string): ParsedContext {
  if (body.trim() === "") return { context: {} };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { errorCode: "PARSE_ERROR", errorDetails: `The body is not JSON: ${(e as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { errorCode: "PARSE_ERROR", errorDetails: 'Send a JSON object: { "context": { … } }' };
  const context = (value as { context?: unknown }).context;
  if (context === undefined) return { context: {} };
  if (typeof context !== "object" || context === null || Array.isArray(context))
    return { errorCode: "INVALID_CONTEXT", errorDetails: '"context" must be an object of attributes' };
  const targetingKey = (context as { targetingKey?: unknown }).targetingKey;
  if (targetingKey !== undefined && typeof targetingKey !== "string")
    return { errorCode: "INVALID_CONTEXT", errorDetails: '"targetingKey" must be a string' };
  return { context: context as EvaluationContext };
}

function readBody(req: IncomingMessage, res: ServerResponse, then: (body: string) => void) {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) return tooLarge(req, res);
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on("data", (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      refused = true;
      tooLarge(req, res);
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (!refused) then(Buffer.concat(chunks).toString("utf8"));
  });
  req.on("error", () => {
    refused = true;
  });
}

function tooLarge(req: IncomingMessage, res: ServerResponse) {
  send(res, 413, { errorCode: "PARSE_ERROR", errorDetails: `The body is over ${MAX_BODY_BYTES / 1024} KB` }, true);
  req.resume();
}

function methodNotAllowed(res: ServerResponse, allow: string) {
  res.setHeader("Allow", allow);
  send(res, 405, { error: "method_not_allowed", message: `Use ${allow.replace(", ", " or ")}` });
}

function unavailable(res: ServerResponse) {
  res.setHeader("Retry-After", "1");
  send(res, 503, { error: "unavailable", message: "The flags are loading: try again in a second" });
}

function send(res: ServerResponse, status: number, value: unknown, close = false) {
  if (res.headersSent) return;
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": body.length,
    ...CORS,
    ...(close ? { Connection: "close" } : {}),
  });
  res.end(body);
}

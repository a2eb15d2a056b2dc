import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import { parseInput } from "@/lib/data/input";
import { resolveToken } from "@/lib/data/actors/token";
import { getActor } from "@/lib/session";
import { errorResponse, problem } from "./errors";

// The one way into Greenlight over HTTP for API routes. A route states who may call it (a
// person's session or an API token, or tokens only), what it reads from the request (a JSON
// body or the query string, checked with zod) and what it does with them; the wrapper does the
// rest the same way everywhere: 401 without a valid caller, 415 for a body that is not JSON,
// 413 for one over 1 MB, 422 with field messages for bad input (through parseInput, the check
// every operation makes: NUL characters, broken surrogates and dates out of range included),
// the domain's 403/404/409 as they come, 500 without details, and a request id in every error
// body, log line and response header. What the caller may do is decided by lib/data's
// operations, whatever route they come through.

export interface RouteCall<I> {
  actor: Actor;
  input: I;
  request: Request;
  requestId: string;
  /** the route's dynamic segments ([id] …), as Next passes them */
  params: Record<string, string>;
}

/** What Next hands a route handler beside the request. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

async function paramsOf(context: RouteContext | undefined): Promise<Record<string, string>> {
  // Next hands routes without dynamic segments no params at all
  const raw = (context?.params ? await context.params : undefined) ?? {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (typeof value === "string") out[key] = value;
  return out;
}

export interface RouteSpec<I> {
  /** "session-or-token": a signed-in person or an API token; "token": machines only */
  auth: "session-or-token" | "token";
  /** optionalBody: a POST without a body (no Content-Length, or 0) reads as `{}` */
  input?: { from: "json" | "query"; schema: z.ZodType<I>; optionalBody?: boolean };
  /** headers on every answer, errors included (e.g. cache-control: no-store) */
  headers?: Record<string, string>;
  handle: (call: RouteCall<I>) => Promise<Response>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The caller's own id (from a proxy, say) when it is well-formed, otherwise a new one. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

async function callerOf(
  request: Request,
  auth: RouteSpec<unknown>["auth"],
): Promise<{ actor: Actor | null; refusal?: string | null }> {
  const authorization = request.headers.get("authorization");
  // a presented token is the whole answer: a bad one must not fall back to a cookie; a known
  // token that is refused says why (revoked, expired, its owner deactivated or deleted)
  if (authorization !== null || auth === "token") return resolveToken(authorization);
  return { actor: await getActor() };
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** The largest JSON body read (a release with a 64 KB changelog and 20 links is far below). */
export const MAX_BODY_BYTES = 1 << 20;

export class BodyTooLarge extends Error {}
class BodyNotJson extends Error {}

/** The body as text, refusing one over MAX_BODY_BYTES before reading it all. */
export async function boundedText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  // bytes that are not UTF-8 become U+FFFD, as request.json() would read them
  return new TextDecoder().decode(Buffer.concat(chunks));
}

async function inputOf<I>(request: Request, spec: NonNullable<RouteSpec<I>["input"]>): Promise<unknown> {
  // URLSearchParams decodes broken percent-encoding to U+FFFD rather than failing; a NUL
  // (%00) arrives as itself and is refused by parseInput like any other
  if (spec.from === "query") return Object.fromEntries(new URL(request.url).searchParams);
  const text = await boundedText(request);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyNotJson();
  }
}

export function route<I = undefined>(
  spec: RouteSpec<I>,
): (request: Request, context?: RouteContext) => Promise<Response> {
  return async (request, context) => {
    const requestId = requestIdOf(request);
    const headers = spec.headers ?? {};
    try {
      const { actor, refusal } = await callerOf(request, spec.auth);
      if (!actor)
        return problem(
          401,
          {
            error: "unauthorized",
            message:
              refusal ??
              (spec.auth === "token"
                ? "Send a valid API token as Authorization: Bearer <token>"
                : "Sign in, or send a valid API token as Authorization: Bearer <token>"),
          },
          requestId,
          { ...headers, "www-authenticate": 'Bearer realm="greenlight"' },
        );
      let input = undefined as I;
      if (spec.input) {
        const bodyless =
          spec.input.optionalBody === true &&
          !request.headers.get("content-type") &&
          (request.headers.get("content-length") ?? "0") === "0" &&
          !request.headers.get("transfer-encoding");
        let raw: unknown = {};
        if (!bodyless) {
          if (spec.input.from === "json" && !JSON_TYPE.test(request.headers.get("content-type") ?? ""))
            return problem(
              415,
              { error: "unsupported_media_type", message: "Send a JSON body with Content-Type: application/json" },
              requestId,
              headers,
            );
          try {
            raw = await inputOf(request, spec.input);
          } catch (e) {
            if (e instanceof BodyTooLarge)
              return problem(
                413,
                { error: "payload_too_large", message: `Send at most ${MAX_BODY_BYTES} bytes of JSON` },
                requestId,
                headers,
              );
            if (!(e instanceof BodyNotJson)) throw e;
            const message = "The body is not valid JSON";
            return problem(422, { error: "validation", message, fieldErrors: { _: [message] } }, requestId, headers);
          }
        }
        // the same check as every operation's (lib/data/input.ts): zod, then text and dates
        // PostgreSQL could not store; a ValidationError becomes a 422 with field messages below
        input = parseInput(spec.input.schema, raw);
      }
      const response = await spec.handle({ actor, input, request, requestId, params: await paramsOf(context) });
      response.headers.set("x-request-id", requestId);
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    } catch (e) {
      return errorResponse(e, requestId, headers);
    }
  };
}

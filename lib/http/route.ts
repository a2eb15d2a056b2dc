import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import { fieldErrors } from "@/lib/data/input";
import { getActor, tokenActor } from "@/lib/session";
import { errorResponse, problem } from "./errors";

// The one way into Greenlight over HTTP for API routes. A route states who may call it (a
// person's session or an API token, or tokens only), what it reads from the request (a JSON
// body or the query string, checked with zod) and what it does with them; the wrapper does the
// rest the same way everywhere: 401 without a valid caller, 415 for a body that is not JSON,
// 422 with field messages for bad input, the domain's 403/404/409 as they come, 500 without
// details, and a request id in every error body, log line and response header. What the caller
// may do is decided by lib/data's operations, whatever route they come through.

export interface RouteCall<I> {
  actor: Actor;
  input: I;
  request: Request;
  requestId: string;
}

export interface RouteSpec<I> {
  /** "session-or-token": a signed-in person or an API token; "token": machines only */
  auth: "session-or-token" | "token";
  input?: { from: "json" | "query"; schema: z.ZodType<I> };
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

async function callerOf(request: Request, auth: RouteSpec<unknown>["auth"]): Promise<Actor | null> {
  const authorization = request.headers.get("authorization");
  // a presented token is the whole answer: a bad one must not fall back to a cookie
  if (authorization !== null || auth === "token") return tokenActor(authorization);
  return getActor();
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

async function inputOf<I>(request: Request, spec: NonNullable<RouteSpec<I>["input"]>): Promise<unknown> {
  if (spec.from === "query") return Object.fromEntries(new URL(request.url).searchParams);
  return request.json();
}

export function route<I = undefined>(spec: RouteSpec<I>): (request: Request) => Promise<Response> {
  return async (request) => {
    const requestId = requestIdOf(request);
    const headers = spec.headers ?? {};
    try {
      const actor = await callerOf(request, spec.auth);
      if (!actor)
        return problem(
          401,
          {
            error: "unauthorized",
            message:
              spec.auth === "token"
                ? "Send a valid API token as Authorization: Bearer <token>"
                : "Sign in, or send a valid API token as Authorization: Bearer <token>",
          },
          requestId,
          { ...headers, "www-authenticate": 'Bearer realm="greenlight"' },
        );
      let input = undefined as I;
      if (spec.input) {
        if (spec.input.from === "json" && !JSON_TYPE.test(request.headers.get("content-type") ?? ""))
          return problem(
            415,
            { error: "unsupported_media_type", message: "Send a JSON body with Content-Type: application/json" },
            requestId,
            headers,
          );
        let raw: unknown;
        try {
          raw = await inputOf(request, spec.input);
        } catch {
          const message = "The body is not valid JSON";
          return problem(422, { error: "validation", message, fieldErrors: { _: [message] } }, requestId, headers);
        }
        const parsed = spec.input.schema.safeParse(raw);
        if (!parsed.success)
          return problem(
            422,
            { error: "validation", message: "Some fields need attention", fieldErrors: fieldErrors(parsed.error) },
            requestId,
            headers,
          );
        input = parsed.data;
      }
      const response = await spec.handle({ actor, input, request, requestId });
      response.headers.set("x-request-id", requestId);
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    } catch (e) {
      return errorResponse(e, requestId, headers);
    }
  };
}

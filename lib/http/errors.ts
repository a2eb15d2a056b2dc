import { DomainError, ValidationError } from "@/lib/data/errors";

// How a failure becomes an HTTP answer, for every API route: a domain error with its status
// and safe message (403, 404, 409, 422 with field messages), anything else a 500 whose details
// go to the log only. Every body and log line carries the request's id, so a person who
// reports "request 3f2a…" can be matched to the log.

export interface Problem {
  error: string;
  message: string;
  requestId: string;
  fieldErrors?: Record<string, string[]>;
}

export function problem(
  status: number,
  body: Omit<Problem, "requestId">,
  requestId: string,
  headers: HeadersInit = {},
): Response {
  return Response.json({ ...body, requestId } satisfies Problem, {
    status,
    headers: { "x-request-id": requestId, ...headers },
  });
}

export function errorResponse(e: unknown, requestId: string, headers: HeadersInit = {}): Response {
  if (e instanceof ValidationError)
    return problem(e.status, { error: e.code, message: e.message, fieldErrors: e.fieldErrors }, requestId, headers);
  if (e instanceof DomainError) return problem(e.status, { error: e.code, message: e.message }, requestId, headers);
  console.error(`[${requestId}] internal error:`, e);
  return problem(
    500,
    { error: "internal", message: `Something went wrong (request ${requestId}). Try again.` },
    requestId,
    headers,
  );
}

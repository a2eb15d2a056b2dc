import { oneLine, type SendOutcome } from "./outcome";

// One POST of a JSON body to a webhook: http(s) only, no redirects followed (a message goes only
// where it was configured to go), a timeout, and at most REPLY_MAX_BYTES of the answer read. The
// URL may itself be a secret (a Slack incoming webhook), so messages name only its origin.

export const REPLY_MAX_BYTES = 16 * 1024;

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendOutcome> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: null, network: false, retryable: false, error: "The webhook URL is not a valid URL" };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    return { ok: false, status: null, network: false, retryable: false, error: "The webhook URL is not http(s)" };
  const where = parsed.origin;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(parsed, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": "Greenlight-Notifications/1" },
      body,
      redirect: "manual",
      signal: timeout,
    });
    const text = await readCapped(res);
    if (res.status >= 200 && res.status < 300)
      return { ok: true, status: res.status, message: `HTTP ${res.status} from ${where}` };
    const said = `HTTP ${res.status}${text.trim() ? `: ${oneLine(text, 200)}` : ""}`;
    if (res.status >= 300 && res.status < 400)
      return {
        ok: false,
        status: res.status,
        network: false,
        retryable: false,
        error: `${where} answered with a redirect (${said}): configure the address it redirects to`,
      };
    return { ok: false, status: res.status, network: false, error: `${where} answered ${said}` };
  } catch (e) {
    if (timeout.aborted)
      return { ok: false, status: null, network: true, error: `${where} did not answer within ${timeoutMs} ms` };
    return { ok: false, status: null, network: true, error: `Could not reach ${where}: ${connectionError(e)}` };
  }
}

/** Reads at most REPLY_MAX_BYTES: a receiver's answer is evidence for the log, not payload. */
async function readCapped(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= REPLY_MAX_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, REPLY_MAX_BYTES).toString("utf8");
}

function connectionError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "ENOTFOUND") return "host not found";
  if (cause?.code === "ECONNRESET" || cause?.code === "UND_ERR_SOCKET") return "connection closed before an answer";
  return oneLine(cause?.message ?? (e as Error).message, 200);
}

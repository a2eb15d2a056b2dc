// What one attempt at sending a notification came to, whatever carried it (SMTP or HTTP). The
// data layer decides from it whether to try again (lib/domain/notifications.ts isRetryable).

export type SendOutcome =
  | { ok: true; status: number | null; message: string }
  | {
      ok: false;
      /** the HTTP status or SMTP reply code, when the other side answered */
      status: number | null;
      /** no answer at all: refused, unreachable, timed out, closed mid-way */
      network: boolean;
      /** false for an answer that says retrying cannot help (an SMTP 5xx); default: decided by status */
      retryable?: boolean;
      /** a sentence for the deliveries page: no secret, no full webhook URL */
      error: string;
    };

/** Keeps stored error text short and on one line. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

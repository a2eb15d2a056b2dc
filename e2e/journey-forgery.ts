import type { Page } from "@playwright/test";

// Server actions are public HTTP endpoints: a POST to the page with the action's id in the
// Next-Action header. To check that the server (not just the UI) refuses someone, a journey
// records the request a permitted user's click sends, then sends the very same request from
// another user's browser, with that user's cookies.

export interface RecordedAction {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Runs `act` and returns the first server action request `page` sends meanwhile. */
export async function recordAction(page: Page, act: () => Promise<void>): Promise<RecordedAction> {
  const sent = page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined);
  await act();
  const request = await sent;
  const headers = request.headers();
  return {
    url: request.url(),
    headers: {
      "next-action": headers["next-action"] ?? "",
      "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: headers.accept ?? "text/x-component",
    },
    body: request.postData() ?? "",
  };
}

/** Sends the recorded request again from `page` (same origin, its cookies); returns the answer's text. */
export function replayAction(page: Page, action: RecordedAction): Promise<string> {
  return page.evaluate(async ({ url, headers, body }) => {
    const response = await fetch(url, { method: "POST", headers, body, credentials: "same-origin" });
    return `${response.status} ${await response.text()}`;
  }, action);
}

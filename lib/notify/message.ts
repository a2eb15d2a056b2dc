import type { NotificationKind } from "../domain/notifications";

// A notification as the senders see it: what happened, in words, and where to look. Built by
// lib/data from the NotificationEvent row; the senders know nothing else about the database.

export interface NotificationMessage {
  /** the NotificationEvent's id */
  eventId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** absolute link to the page (GREENLIGHT_URL + the event's path) */
  link: string;
  createdAt: Date;
  environment: { key: string; name: string } | null;
  /** event details for webhooks (no secrets) */
  data: Record<string, unknown>;
}

/** GREENLIGHT_URL + path; a path that is not a plain site path links to the home page instead. */
export function absoluteLink(base: URL, path: string): string {
  const safe = path.startsWith("/") && !path.startsWith("//") && !path.includes("\\") ? path : "/";
  return new URL(safe, base).toString();
}

// Stored audit JSON in words: the pieces the sentences of audit-actions.ts are built from.
// Pure; nothing here knows an action.

import { GATE_KEYS, GATE_LABELS, type GateKey } from "./gates";
import { ACCESS_LEVELS } from "./permissions";

export type Json = Record<string, unknown>;

export function record(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

export function text(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "string") return value || "(empty)";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length ? value.map(text).join(", ") : "none";
  return JSON.stringify(value);
}

export function capitalized(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

export function list(value: unknown): string {
  return Array.isArray(value) && value.length ? value.map(text).join(", ") : "none";
}

export function count(value: unknown, noun: string): string {
  return `${text(value)} ${value === 1 ? noun : `${noun}s`}`;
}

export function note(value: unknown): string {
  return typeof value === "string" && value.trim() ? `: “${value.trim()}”` : "";
}

export function person(value: Json): string {
  return value.name ? `${text(value.name)} (${text(value.email)})` : text(value.email);
}

export function roles(value: unknown): string {
  return Array.isArray(value) && value.length
    ? `the ${value.length === 1 ? "role" : "roles"} ${list(value)}`
    : "no role";
}

export function release(value: Json): string {
  return [value.application, value.version].filter((v) => typeof v === "string" && v).join(" ") || "a release";
}

export function signInMethod(value: unknown): string {
  if (value === "password" || value === undefined) return "email and password";
  if (value === "github") return "GitHub";
  return text(value);
}

export function level(value: unknown): string {
  return typeof value === "string" && value in ACCESS_LEVELS
    ? ACCESS_LEVELS[value as keyof typeof ACCESS_LEVELS].label
    : value === "custom"
      ? "Custom"
      : text(value);
}

export function permissionChanges(before: unknown, after: unknown): string {
  const was = new Set(Array.isArray(before) ? before.map(text) : []);
  const now = new Set(Array.isArray(after) ? after.map(text) : []);
  const added = [...now].filter((p) => !was.has(p));
  const removed = [...was].filter((p) => !now.has(p));
  const parts = [
    added.length ? `added ${added.join(", ")}` : "",
    removed.length ? `removed ${removed.join(", ")}` : "",
  ];
  const said = parts.filter(Boolean).join("; ");
  return said ? ` (${said})` : "";
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

export function freezeWhen(value: Json): string {
  const zone = typeof value.timeZone === "string" ? ` (${value.timeZone})` : "";
  if (value.kind === "weekly" && typeof value.weekday === "number" && typeof value.startMinute === "number")
    return `every ${WEEKDAYS[value.weekday] ?? "week"} from ${clock(value.startMinute)} for ${text(value.durationMinutes)} min${zone}`;
  return `from ${text(value.startsAt)} to ${text(value.endsAt)}${zone}`;
}

/** What changed, key by key, in words ("soak minutes: 30 → 60"). */
export function changes(before: Json, after: Json, hadBefore = Object.keys(before).length > 0): string {
  const words = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  if (hadBefore && Object.keys(after).length) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    return changed.map((k) => `${words(k)}: ${text(before[k])} → ${text(after[k])}`).join("; ") || "no change";
  }
  const only = Object.keys(after).length ? after : before;
  const listed = Object.entries(only)
    .map(([k, v]) => `${words(k)}: ${text(v)}`)
    .join("; ");
  return Object.keys(after).length || !listed ? listed : `Was ${listed}`;
}

/** A promotion's gates as it saw them: "Gates: Previous stage ✓, Approvals ✗ …". */
export function gateChecklist(value: unknown): string {
  const gates = (Array.isArray(value) ? value : []).map(record).filter((g) => typeof g.key === "string");
  if (!gates.length) return "";
  const label = (key: unknown) =>
    (GATE_KEYS as readonly unknown[]).includes(key) ? GATE_LABELS[key as GateKey] : capitalized(text(key));
  return gates.map((g) => `${label(g.key)} ${g.passed === true ? "✓" : "✗"}`).join(", ");
}

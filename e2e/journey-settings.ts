import { expect, type Browser, type Page } from "@playwright/test";
import { demoPeople } from "./journey-people";
import { demo } from "../prisma/presets/demo";

// What the admin changes on an environment's settings page (/environments/<key>/settings) so
// a journey does not depend on the clock or on CI: the soak time, the freeze windows and the
// required checks. Each step is safe to repeat, because Playwright runs a file's hooks again
// after a failure.

/** Opens the settings page and waits for its content (it streams in behind a skeleton). */
async function openSettings(page: Page, key: string): Promise<void> {
  await page.goto(`/environments/${encodeURIComponent(key)}/settings`);
  await expect(page.getByRole("button", { name: "Add freeze window" })).toBeVisible();
}

const saved = (page: Page, message: string) =>
  expect(page.getByRole("status").filter({ hasText: message })).toBeVisible();

const windowsNamed = (page: Page, reason: string) =>
  page.getByRole("list", { name: "Freeze windows" }).getByRole("listitem").filter({ hasText: reason });

/**
 * Sets an environment's soak time and required checks, when they differ, with one save, and
 * reads them back after a reload: a journey that goes on after a save that did not hold would
 * fail far from here.
 */
export async function setGateSettings(
  page: Page,
  environmentKey: string,
  want: { soakMinutes: number; requiredChecks: readonly string[] },
): Promise<void> {
  const checks = want.requiredChecks.join("\n");
  await openSettings(page, environmentKey);
  const soak = page.getByLabel("Soak time (minutes)");
  const required = page.getByLabel("Required checks");
  if ((await soak.inputValue()) === String(want.soakMinutes) && (await required.inputValue()).trim() === checks) return;
  await soak.fill(String(want.soakMinutes));
  await required.fill(checks);
  await page.getByRole("button", { name: "Save settings" }).click();
  await saved(page, "Settings saved.");
  await openSettings(page, environmentKey);
  await expect(soak).toHaveValue(String(want.soakMinutes));
  await expect(required).toHaveValue(checks);
}

/**
 * What holds a journey's release for reasons that are not the journey's: the soak time of each
 * environment, the checks CI has not reported (the journeys have no CI), and the demo's weekend
 * freeze on production (Friday 16:00 to Monday 08:00, Paris time), which would hold it on the
 * days it covers. Taken away before a file's journeys, and put back as the demo has them after.
 */
export async function openTheGates(page: Page, environmentKeys: readonly string[]): Promise<void> {
  for (const key of environmentKeys) await setGateSettings(page, key, { soakMinutes: 0, requiredChecks: [] });
  await deleteFreezeWindows(page, "production", weekendFreeze().reason);
}

export async function restoreTheGates(page: Page, environmentKeys: readonly string[]): Promise<void> {
  await ensureWeeklyFreeze(page, "production", weekendFreeze());
  for (const key of environmentKeys) {
    const environment = demo.environments.find((e) => e.key === key);
    if (!environment) throw new Error(`the demo has no environment ${key}`);
    await setGateSettings(page, key, {
      soakMinutes: environment.soakMinutes,
      requiredChecks: environment.requiredChecks ?? [],
    });
  }
}

/** Deletes every freeze window of the environment whose reason contains `reason`. */
export async function deleteFreezeWindows(page: Page, environmentKey: string, reason: string): Promise<void> {
  await openSettings(page, environmentKey);
  for (let left = await windowsNamed(page, reason).count(); left > 0; left--) {
    const item = windowsNamed(page, reason).first();
    await item.getByRole("button", { name: /^Delete freeze window/ }).click();
    await item.getByRole("button", { name: "Yes, delete" }).click();
    await expect(windowsNamed(page, reason)).toHaveCount(left - 1);
  }
}

/** A one-off window in UTC, written as the form's `datetime-local` values. */
export async function addOneOffFreeze(page: Page, environmentKey: string, reason: string, from: Date, to: Date) {
  const local = (d: Date) => d.toISOString().slice(0, 16);
  await openSettings(page, environmentKey);
  await page.getByRole("radio", { name: "Once" }).check();
  await page.getByLabel("Reason", { exact: true }).fill(reason);
  await page.getByLabel("Time zone").selectOption("UTC");
  await page.getByLabel("Starts", { exact: true }).fill(local(from));
  await page.getByLabel("Ends", { exact: true }).fill(local(to));
  await page.getByRole("button", { name: "Add freeze window" }).click();
  await saved(page, "Freeze window added.");
  await expect(windowsNamed(page, reason)).toHaveCount(1);
}

export interface WeeklyFreeze {
  reason: string;
  timeZone: string;
  from: { day: string; time: string };
  until: { day: string; time: string };
}

/** Adds the weekly window unless one with the same reason is there already. */
export async function ensureWeeklyFreeze(page: Page, environmentKey: string, freeze: WeeklyFreeze) {
  await openSettings(page, environmentKey);
  if ((await windowsNamed(page, freeze.reason).count()) > 0) return;
  await page.getByRole("radio", { name: "Every week" }).check();
  await page.getByLabel("Reason", { exact: true }).fill(freeze.reason);
  await page.getByLabel("Time zone").selectOption(freeze.timeZone);
  const starts = page.getByRole("group", { name: "Starts every" });
  await starts.getByLabel("Day").selectOption({ label: freeze.from.day });
  await starts.getByLabel("Time").fill(freeze.from.time);
  const until = page.getByRole("group", { name: "Until the next" });
  await until.getByLabel("Day").selectOption({ label: freeze.until.day });
  await until.getByLabel("Time").fill(freeze.until.time);
  await page.getByRole("button", { name: "Add freeze window" }).click();
  await saved(page, "Freeze window added.");
  await expect(windowsNamed(page, freeze.reason)).toHaveCount(1);
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** The demo's weekly production freeze, as the settings form takes it. */
export function weekendFreeze(): WeeklyFreeze {
  const freeze = demo.freezeWindows?.find((f) => f.envKey === "production" && f.kind === "weekly");
  if (freeze?.kind !== "weekly") throw new Error("the demo has no weekly production freeze any more");
  const end = freeze.weekday * 1440 + freeze.startMinute + freeze.durationMinutes;
  return {
    reason: freeze.reason,
    timeZone: freeze.timeZone,
    from: { day: WEEKDAYS[freeze.weekday]!, time: clock(freeze.startMinute) },
    until: { day: WEEKDAYS[Math.floor(end / 1440) % 7]!, time: clock(end % 1440) },
  };
}

/** Runs `run` on a page signed in as the demo's admin, in a context of its own. */
export async function asAdmin(browser: Browser, run: (page: Page) => Promise<void>): Promise<void> {
  const people = demoPeople(browser);
  try {
    await run(await people.page("admin"));
  } finally {
    await people.close();
  }
}

import { expect, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";

// A person's second factor as they live it: the Security page shows a QR code and a setup key,
// their phone's authenticator app computes codes from that key (RFC 6238, with the same
// maintained library Greenlight uses, fed only what the page shows), and the "Confirm it's you"
// dialog asks for a code when an environment needs one. Shared by e2e/second-factor.spec.ts
// and the preset walks.

const STEP_MS = 30_000;
const stepAt = (ms: number) => Math.floor(ms / STEP_MS);

/** The authenticator app on the person's phone. */
export class Phone {
  private readonly totp: TOTP;
  /** the last time step whose code was handed out: the server takes each code once */
  private lastStep = -1;

  constructor(setupKey: string, email: string) {
    this.totp = new TOTP({
      issuer: "Greenlight",
      label: email,
      secret: Secret.fromBase32(setupKey.replace(/\s/g, "")),
    });
  }

  /**
   * A code the server has not seen yet: this step's, else the next step's (accepted: one step
   * of clock drift), else, after waiting for the clock, the one after.
   */
  async code(): Promise<string> {
    for (;;) {
      const now = stepAt(Date.now());
      const step = Math.max(now, this.lastStep + 1);
      if (step <= now + 1) {
        this.lastStep = step;
        return this.totp.generate({ timestamp: step * STEP_MS });
      }
      await new Promise((resolve) => setTimeout(resolve, (now + 1) * STEP_MS - Date.now() + 200));
    }
  }

  /** Six digits that match no code the server would accept now (previous, this or next step). */
  wrongCode(): string {
    const now = stepAt(Date.now());
    const accepted = new Set([-1, 0, 1, 2].map((d) => this.totp.generate({ timestamp: (now + d) * STEP_MS })));
    for (let n = 123456; ; n = (n + 111111) % 1_000_000) {
      const candidate = String(n).padStart(6, "0");
      if (!accepted.has(candidate)) return candidate;
    }
  }
}

export interface Enrolled {
  phone: Phone;
  recoveryCodes: string[];
}

/**
 * Sets up an authenticator app from the Security page, as a person would: scans (reads) the
 * setup key, types the app's code, and saves the recovery codes shown once.
 */
export async function enrolOnSecurityPage(page: Page, email: string): Promise<Enrolled> {
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: /^QR code that adds Greenlight to an authenticator app/ })).toBeVisible();
  const key = (await page.locator('code[aria-label="Setup key"]').innerText()).trim();
  expect(key).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  const phone = new Phone(key, email);
  await page.getByLabel("Enter the 6-digit code").fill(await phone.code());
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  await expect(page.getByRole("note", { name: "Shown once" })).toContainText("shown only this once");
  const recoveryCodes = (await list.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByText("Recovery codes left")).toBeVisible();
  return { phone, recoveryCodes };
}

/** The "Confirm it's you" dialog. */
export const stepUpDialog = (page: Page) => page.getByRole("dialog", { name: "Confirm it's you" });

/** Enters the next code from the phone in the dialog and waits for it to close. */
export async function enterCode(page: Page, code: string): Promise<void> {
  const dialog = stepUpDialog(page);
  await dialog.getByLabel("Code", { exact: true }).fill(code);
  await dialog.getByRole("button", { name: "Verify" }).click();
}

/**
 * From now on, whenever `page` shows the dialog asking for a code, the person answers it with
 * their phone's next code, whatever step the journey is at (Playwright checks before each
 * action and assertion). Returns how many times it was asked.
 */
export async function answerCodesWith(page: Page, phone: Phone): Promise<{ asked: () => number }> {
  let asked = 0;
  await page.addLocatorHandler(stepUpDialog(page), async (dialog) => {
    asked++;
    await dialog.getByLabel("Code", { exact: true }).fill(await phone.code());
    await dialog.getByRole("button", { name: "Verify" }).click();
  });
  return { asked: () => asked };
}

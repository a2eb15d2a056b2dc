import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { storageStateOf, type PersonaKey } from "./personas";

// A journey passes a release from hand to hand: each person gets a browser of their own,
// opened once and reused, so what one does is seen by the others only through the server.

export class People<K extends string> {
  private readonly pages = new Map<K, Page>();
  private readonly contexts: BrowserContext[] = [];

  constructor(private readonly open: (key: K) => Promise<BrowserContext>) {}

  async page(key: K, path?: string): Promise<Page> {
    let page = this.pages.get(key);
    if (!page) {
      const context = await this.open(key);
      this.contexts.push(context);
      page = await context.newPage();
      this.pages.set(key, page);
    }
    if (path) await page.goto(path);
    return page;
  }

  async close(): Promise<void> {
    await Promise.all(this.contexts.map((c) => c.close()));
  }
}

/** The demo personas, signed in once by e2e/auth.setup.ts. */
export const demoPeople = (browser: Browser) =>
  new People<PersonaKey>((key) => browser.newContext({ storageState: storageStateOf(key) }));

/** People of any preset, by email, signing in through the sign-in page with the preset's password. */
const signingInPeople = (browser: Browser, baseURL: string, password: string) =>
  new People<string>(async (email) => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // signing in hashes a password: slow on a busy machine
    await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
    await page.close();
    return context;
  });

/**
 * `people`: the demo personas; `signIn(password)`: the people of the preset loaded with that
 * password. Their browsers are closed after the test, whatever its outcome.
 */
export const test = base.extend<{ people: People<PersonaKey>; signIn: (password: string) => People<string> }>({
  // (named `provide`, not `use`: the React lint rules would take it for a hook)
  people: async ({ browser }, provide) => {
    const people = demoPeople(browser);
    await provide(people);
    await people.close();
  },
  signIn: async ({ browser, baseURL }, provide) => {
    const opened: People<string>[] = [];
    await provide((password) => {
      const people = signingInPeople(browser, baseURL ?? "", password);
      opened.push(people);
      return people;
    });
    await Promise.all(opened.map((p) => p.close()));
  },
});

export { expect };

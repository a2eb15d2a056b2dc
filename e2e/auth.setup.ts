import { expect, test as setup } from "@playwright/test";
import { PASSWORD, PERSONAS, storageStateOf, type PersonaKey } from "./personas";

// Signs each persona in once through the real form and keeps the session for the journeys.
for (const key of Object.keys(PERSONAS) as PersonaKey[]) {
  setup(`sign in as ${key}`, async ({ page }) => {
    const persona = PERSONAS[key];
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(persona.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    // a password hash, then the first render of the pipeline: slow on a busy machine
    await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
    await page.context().storageState({ path: storageStateOf(key) });
  });
}

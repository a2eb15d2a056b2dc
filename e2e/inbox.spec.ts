import { expect, test } from "./fixtures";

// The inbox: when a release of the journey's own reaches staging, QA is told that the staging
// checklist waits for them — in the header's bell and on the inbox page, without reloading —
// opens it from there, and it counts as read. Then QA chooses what reaches them.

test.describe("QA's inbox", () => {
  test("says a release's staging checklist waits, links to it, and keeps QA's choices", async ({
    releases,
    people,
  }) => {
    const quentin = await people.page("qa", "/notifications");
    await expect(quentin.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();

    const release = await releases.inStaging("storefront", "Inbox journey");
    const headline = `storefront ${release.version}: Staging checklist to do`;
    // the page re-renders by itself when the bell's poll sees something new
    const item = quentin.getByRole("listitem").filter({ hasText: headline });
    await expect(item).toBeVisible({ timeout: 30_000 });
    await expect(item).toContainText("(unread)");
    await expect(quentin.getByRole("link", { name: /^Inbox, \d+ unread$/ })).toBeVisible();

    await item.getByRole("link", { name: headline }).click();
    await expect(quentin).toHaveURL(new RegExp(`${release.path}$`));
    await quentin.goto("/notifications");
    await expect(quentin.getByRole("listitem").filter({ hasText: headline })).not.toContainText("(unread)");

    // choices: no email for checklists, kept across a reload, then back to the role's default
    await quentin.getByRole("link", { name: "Choose what reaches you" }).click();
    await expect(quentin.getByRole("heading", { level: 1, name: "What reaches you" })).toBeVisible();
    // from the role's default, whatever an earlier run left
    await quentin.getByRole("button", { name: "Back to my roles' defaults" }).click();
    await expect(quentin.getByRole("status")).toHaveText("Saved.");
    const email = quentin.getByRole("checkbox", { name: "A checklist waits for me: Email" });
    await expect(email).toBeChecked();
    await email.uncheck();
    await quentin.getByRole("button", { name: "Save" }).click();
    await expect(quentin.getByRole("status")).toHaveText("Saved.");
    await quentin.reload();
    await expect(quentin.getByRole("checkbox", { name: "A checklist waits for me: Email" })).not.toBeChecked();
    await quentin.getByRole("button", { name: "Back to my roles' defaults" }).click();
    await expect(quentin.getByRole("status")).toHaveText("Saved.");
    await expect(quentin.getByRole("checkbox", { name: "A checklist waits for me: Email" })).toBeChecked();
  });
});

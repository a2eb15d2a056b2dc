import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { chromiumPath } from "../../e2e/browser";

// End-to-end tests run in a real Chromium: the system's (Debian's /usr/bin/chromium, or
// CHROMIUM_PATH), else Playwright's own, which is downloaded once where the internet is
// reachable (a laptop). On machines without either and without internet this fails loudly.
const system = chromiumPath();
if (system) {
  console.log(`e2e: using Chromium at ${system}`);
} else if (fs.existsSync(chromium.executablePath())) {
  console.log(`e2e: using Playwright's Chromium at ${chromium.executablePath()}`);
} else {
  console.log("e2e: no Chromium found; installing Playwright's own (npx playwright install chromium)…");
  const result = spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(
      "greenlight: could not install Chromium. Install one (e.g. apt-get install chromium) or set CHROMIUM_PATH.",
    );
    process.exit(1);
  }
}

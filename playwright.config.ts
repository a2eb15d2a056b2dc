import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./e2e/browser";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const executablePath = chromiumPath();
const launchOptions = {
  executablePath,
  // without the background-networking flags Chromium floods a closed network
  args: executablePath
    ? [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ]
    : [],
};

// The journeys run against the production build (`npm run build` runs first) served by the
// same launcher as `npm start`, on a database of their own (see e2e/server.ts).
export default defineConfig({
  testDir: "./e2e",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...devices["Desktop Chrome"], launchOptions } },
    {
      name: "desktop",
      dependencies: ["setup"],
      use: {
        ...devices["Desktop Chrome"],
        // journeys run as the admin unless they say otherwise
        storageState: "e2e/.auth/admin.json",
        launchOptions,
      },
    },
  ],
  webServer: {
    command: "node --conditions=react-server --import tsx e2e/server.ts",
    url: `http://localhost:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: { PORT: String(PORT), NEXT_TELEMETRY_DISABLED: "1" },
  },
});

// Shared by playwright.config.ts and e2e/sso.spec.ts: the name the single sign-on journeys browse
// Greenlight at (Chromium maps it to 127.0.0.1), and the ports beside E2E_PORT.
export const SSO_HOST = "greenlight.test";
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const SSO_PORT = E2E_PORT + 2;
export const OIDC_PORT = E2E_PORT + 5;

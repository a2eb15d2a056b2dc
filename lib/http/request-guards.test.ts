import { describe, expect, it } from "vitest";
import { actionOrigins, decodablePath, foreignAction } from "./request-guards";

// What proxy.ts turns away before a page or action runs (the end-to-end journey
// e2e/bad-input.spec.ts sends the same requests to the real server).

describe("decodablePath", () => {
  it.each([
    ["/releases/0192f0a0-0000-7000-8000-000000000000", true],
    ["/environments/prod%20eu", true],
    ["/environments/%C3%A9t%C3%A9", true],
    ["/releases/%ff", false],
    ["/environments/%E0%A4%A", false],
    ["/releases/%", false],
    ["/releases/%00", false],
    ["/environments/%ED%A0%80", false], // an encoded lone surrogate is not UTF-8
  ])("%s → %s", (path, expected) => {
    expect(decodablePath(path)).toBe(expected);
  });
});

describe("foreignAction", () => {
  const action = (origin: string | null, url = "http://localhost:3000/releases/x", host = "localhost:3000") =>
    new Request(url, {
      method: "POST",
      headers: { "next-action": "abc123", host, ...(origin === null ? {} : { origin }) },
    });
  const local: NodeJS.ProcessEnv = { NODE_ENV: "test", PORT: "3000" };
  const configured: NodeJS.ProcessEnv = { ...local, GREENLIGHT_URL: "https://greenlight.example.com" };

  it("lets through a server action from the public origin, or from the request's own host when none is set", () => {
    expect(foreignAction(action("http://localhost:3000"), local)).toBe(false);
    expect(foreignAction(action("http://127.0.0.1:3420", "http://127.0.0.1:3420/x", "127.0.0.1:3420"), local)).toBe(
      false,
    );
    expect(foreignAction(action("https://greenlight.example.com"), configured)).toBe(false);
  });

  it("refuses one from another site, or from the request's host once GREENLIGHT_URL names the public one", () => {
    expect(foreignAction(action("https://evil.example"), local)).toBe(true);
    expect(foreignAction(action("null"), local)).toBe(true);
    expect(foreignAction(action("http://localhost:3000"), configured)).toBe(true);
    expect(actionOrigins(action("http://localhost:3000"), configured)).toEqual(["https://greenlight.example.com"]);
  });

  it("leaves alone what is no server action, and an action without Origin (no browser sent it cross-site)", () => {
    expect(
      foreignAction(
        new Request("http://localhost:3000/x", { method: "POST", headers: { origin: "https://evil.example" } }),
        local,
      ),
    ).toBe(false);
    expect(
      foreignAction(
        new Request("http://localhost:3000/x", { headers: { "next-action": "a", origin: "https://evil.example" } }),
        local,
      ),
    ).toBe(false);
    expect(foreignAction(action(null), local)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { EnvError, maskUrl, parseEnv } from "./env";

describe("parseEnv", () => {
  it("uses the embedded database when DATABASE_URL is unset or blank", () => {
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    expect(parseEnv({}).DATABASE_POOL_MAX).toBe(10);
    expect(parseEnv({}).GREENLIGHT_DATA_DIR).toBe(".data");
  });

  it.each([
    ["mysql://u@h/db", "DATABASE_URL must look like postgresql://"],
    ["postgresql://", "DATABASE_URL must look like postgresql://"],
    ["not a url", "DATABASE_URL must look like postgresql://"],
  ])("rejects DATABASE_URL=%s naming the variable", (value, message) => {
    expect(() => parseEnv({ DATABASE_URL: value })).toThrow(EnvError);
    expect(() => parseEnv({ DATABASE_URL: value })).toThrow(message);
  });

  it("rejects a pool size that is not a positive integer", () => {
    expect(() => parseEnv({ DATABASE_POOL_MAX: "0" })).toThrow(/^DATABASE_POOL_MAX/);
    expect(() => parseEnv({ DATABASE_POOL_MAX: "ten" })).toThrow(/^DATABASE_POOL_MAX/);
    expect(parseEnv({ DATABASE_POOL_MAX: "3" }).DATABASE_POOL_MAX).toBe(3);
  });

  it("reads the stale-flag period and the evaluation flush interval, refusing nonsense", () => {
    expect(parseEnv({}).GREENLIGHT_STALE_FLAG_DAYS).toBe(30);
    expect(parseEnv({}).GREENLIGHT_FLAG_SEEN_FLUSH_MS).toBe(10_000);
    expect(parseEnv({ GREENLIGHT_STALE_FLAG_DAYS: "7" }).GREENLIGHT_STALE_FLAG_DAYS).toBe(7);
    for (const days of ["0", "-3", "1.5", "month"])
      expect(() => parseEnv({ GREENLIGHT_STALE_FLAG_DAYS: days })).toThrow(/^GREENLIGHT_STALE_FLAG_DAYS/);
    for (const ms of ["0", "50", "soon"])
      expect(() => parseEnv({ GREENLIGHT_FLAG_SEEN_FLUSH_MS: ms })).toThrow(/^GREENLIGHT_FLAG_SEEN_FLUSH_MS/);
  });

  it("takes GREENLIGHT_URL as an http(s) origin only", () => {
    expect(parseEnv({ GREENLIGHT_URL: "https://greenlight.example.com" }).GREENLIGHT_URL).toBe(
      "https://greenlight.example.com",
    );
    expect(() => parseEnv({ GREENLIGHT_URL: "greenlight.example.com" })).toThrow(
      "GREENLIGHT_URL must be the address people use, like https://greenlight.example.com",
    );
    expect(() => parseEnv({ GREENLIGHT_URL: "ftp://greenlight.example.com" })).toThrow(/^GREENLIGHT_URL must start/);
    expect(() => parseEnv({ GREENLIGHT_URL: "https://example.com/greenlight" })).toThrow(
      "GREENLIGHT_URL must be an origin only, like https://example.com",
    );
  });

  it("checks GREENLIGHT_TRUSTED_PROXIES, and says what replaced GREENLIGHT_TRUST_PROXY", () => {
    expect(parseEnv({ GREENLIGHT_TRUSTED_PROXIES: "127.0.0.1,10.0.0.0/8" }).GREENLIGHT_TRUSTED_PROXIES).toBe(
      "127.0.0.1,10.0.0.0/8",
    );
    expect(() => parseEnv({ GREENLIGHT_TRUSTED_PROXIES: "10.0.0.0/8, the-proxy" })).toThrow(
      'GREENLIGHT_TRUSTED_PROXIES "the-proxy" is not an IP address or CIDR range',
    );
    expect(() => parseEnv({ GREENLIGHT_TRUST_PROXY: "1" })).toThrow(
      /^GREENLIGHT_TRUST_PROXY was replaced by GREENLIGHT_TRUSTED_PROXIES/,
    );
  });

  it("masks passwords in URLs it prints", () => {
    expect(maskUrl("postgresql://app:hunter2@db:5432/x")).toBe("postgresql://app:****@db:5432/x");
    expect(maskUrl("postgresql://app@db/x")).toBe("postgresql://app@db/x");
  });
});

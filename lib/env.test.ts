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

  it("masks passwords in URLs it prints", () => {
    expect(maskUrl("postgresql://app:hunter2@db:5432/x")).toBe("postgresql://app:****@db:5432/x");
    expect(maskUrl("postgresql://app@db/x")).toBe("postgresql://app@db/x");
  });
});

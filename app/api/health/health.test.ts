import { afterEach, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { forgetParsedEnv } from "@/lib/env";
import { GET } from "./route";

describe("GET /api/health", () => {
  const realUrl = process.env.DATABASE_URL;
  afterEach(async () => {
    await closeDb();
    process.env.DATABASE_URL = realUrl;
    forgetParsedEnv();
  });

  it("answers 200 with the database up", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; database: { status: string; latencyMs: number } };
    expect(body.status).toBe("ok");
    expect(body.database.status).toBe("up");
    expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("answers 503 when the database is down", async () => {
    await closeDb();
    process.env.DATABASE_URL = "postgresql://greenlight:pw@127.0.0.1:1/greenlight";
    forgetParsedEnv();
    const response = await GET();
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; database: { status: string; error: string } };
    expect(body).toMatchObject({ status: "unavailable", database: { status: "down" } });
    expect(body.database.error).not.toContain("pw");
  });
});

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createRelease } from "@/lib/data/releases/create";
import { GET } from "./openapi.json/route";

// The published document covers every v1 route handler (read from the file system, so a new
// route without a description fails here) and states the request bodies the server validates.

const V1 = import.meta.dirname;
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>>;
  components: { schemas: Record<string, unknown> };
}

/** Every route.ts under app/api/v1, as its URL path and the HTTP methods it exports. */
function v1Routes(dir = V1): { path: string; file: string }[] {
  const found: { path: string; file: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...v1Routes(full));
    else if (entry.name === "route.ts") {
      const relative = path.relative(V1, path.dirname(full)).split(path.sep).join("/");
      const url = `/api/v1/${relative}`
        .replace(/\/$/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\[([^\]]+)\]/g, "{$1}");
      found.push({ path: url, file: full });
    }
  }
  return found;
}

function exportedMethods(file: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  return HTTP_METHODS.filter((m) =>
    new RegExp(`export (async )?function ${m}\\b|export const ${m}\\b`).test(source),
  ).map((m) => m.toLowerCase());
}

async function openapi(): Promise<Document> {
  const response = GET();
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  return (await response.json()) as Document;
}

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document", async () => {
    expect((await openapi()).openapi).toBe("3.1.0");
  });

  it("describes every v1 route, and only methods the route serves", async () => {
    const document = await openapi();
    const routes = v1Routes();
    expect(routes.map((r) => r.path)).toContain("/api/v1/releases");
    for (const route of routes) {
      expect(document.paths, `${route.file} has no path in the document`).toHaveProperty([route.path]);
      // a route may export more (e.g. GET only to answer 405), never less than it documents
      const documented = Object.keys(document.paths[route.path] ?? {});
      expect(documented.length, route.path).toBeGreaterThan(0);
      expect(exportedMethods(route.file), route.path).toEqual(expect.arrayContaining(documented));
    }
    expect(Object.keys(document.paths).sort()).toEqual(routes.map((r) => r.path).sort());
  });

  it("states the request body exactly as the release.create operation validates it", async () => {
    const document = await openapi();
    const body = document.paths["/api/v1/releases"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(body).toEqual({ $ref: "#/components/schemas/ReleaseCreateRequest" });
    const { $schema: _dialect, ...expected } = z.toJSONSchema(createRelease.spec.input, { io: "input" });
    expect(document.components.schemas.ReleaseCreateRequest).toEqual(expected);
    expect(expected).toMatchObject({
      required: expect.arrayContaining(["application", "version", "commitSha", "title", "changelog"]) as unknown,
    });
  });
});

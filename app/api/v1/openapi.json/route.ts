import { z } from "zod";
import { releaseCreateInput } from "@/lib/data/releases/create";

// The OpenAPI 3.1 description of every /api/v1 route. Request bodies are generated from the
// same zod schemas lib/data validates with, so the document cannot drift from the server;
// app/api/v1/openapi.test.ts fails when a v1 route is missing here.

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  // the document's dialect is declared once (jsonSchemaDialect), not per schema
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" });
  return rest;
}

const EXAMPLE_RELEASE = {
  id: "0195a3c2-7b1e-7d40-9a51-3c1f2e4d5a60",
  application: "storefront",
  version: "1.4.0",
  commitSha: "3f2a9c1e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a90",
  commitAt: "2026-03-01T12:00:00.000Z",
  title: "Checkout with saved cards",
  changelog: "## Added\n- Saved cards at checkout",
  links: [{ label: "Pull request", url: "https://github.com/example/storefront/pull/42" }],
  createdAt: "2026-03-01T12:03:10.000Z",
};

const releaseSchema = {
  type: "object",
  required: ["id", "application", "version", "commitSha", "commitAt", "title", "changelog", "links", "createdAt"],
  properties: {
    id: { type: "string", format: "uuid" },
    application: { type: "string", description: "The application's key" },
    version: { type: "string" },
    commitSha: { type: "string", pattern: "^[0-9a-f]{7,40}$", description: "lower-cased" },
    commitAt: { type: ["string", "null"], format: "date-time" },
    title: { type: "string" },
    changelog: { type: "string", description: "Markdown" },
    links: {
      type: "array",
      items: {
        type: "object",
        required: ["label", "url"],
        properties: { label: { type: "string" }, url: { type: "string", format: "uri" } },
      },
    },
    createdAt: { type: "string", format: "date-time" },
  },
};

const errorSchema = {
  type: "object",
  required: ["error", "message"],
  properties: {
    error: { type: "string", description: "unauthorized, forbidden, not_found, conflict, validation …" },
    message: { type: "string", description: "safe to show to a person" },
    fieldErrors: {
      type: "object",
      description: "422 only: messages per field (dotted path; `_` for the body as a whole)",
      additionalProperties: { type: "array", items: { type: "string" } },
    },
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function error(description: string, example: Record<string, unknown>) {
  return { description, content: { "application/json": { schema: ref("Error"), example } } };
}

function created(description: string, isNew: boolean) {
  return {
    description,
    content: {
      "application/json": {
        schema: ref("ReleaseCreateResult"),
        example: { release: EXAMPLE_RELEASE, created: isNew },
      },
    },
  };
}

const document = {
  openapi: "3.1.0",
  jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
  info: {
    title: "Greenlight API",
    version: "1",
    description: "The machine-facing API of Greenlight. Authenticate with an API token (Tokens page).",
  },
  paths: {
    "/api/v1/releases": {
      post: {
        operationId: "createRelease",
        summary: "Create a release (idempotent on application and version)",
        description:
          "Needs an API token with release.create in the first environment of the pipeline, where releases enter. " +
          "Repeating a request returns the existing release with 200; the same version at another commit is a 409.",
        security: [{ bearerAuth: [] }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("ReleaseCreateRequest"),
              example: {
                application: "storefront",
                version: "1.4.0",
                commitSha: "3f2a9c1e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a90",
                commitAt: "2026-03-01T12:00:00Z",
                title: "Checkout with saved cards",
                changelog: "## Added\n- Saved cards at checkout",
                links: [{ label: "Pull request", url: "https://github.com/example/storefront/pull/42" }],
              },
            },
          },
        },
        responses: {
          "201": created("The release was created", true),
          "200": created("The release already existed at this commit and is returned unchanged", false),
          "401": {
            ...error("No valid API token", {
              error: "unauthorized",
              message: "Send a valid API token as Authorization: Bearer <token>",
            }),
            headers: { "WWW-Authenticate": { schema: { type: "string" }, example: 'Bearer realm="greenlight"' } },
          },
          "403": error("The token lacks release.create in the first environment", {
            error: "forbidden",
            message: "You need the release.create permission in Development to do this",
          }),
          "404": error("No application with this key", {
            error: "not_found",
            message: 'Application "storefront" was not found',
          }),
          "409": error("The version exists at another commit, or there are no environments yet", {
            error: "conflict",
            message:
              "storefront 1.4.0 already exists at commit 3f2a9c1e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a90; a version cannot move to another commit",
          }),
          "415": error("The body was not sent as application/json", {
            error: "unsupported_media_type",
            message: "Send the release as JSON with Content-Type: application/json",
          }),
          "422": error("The body is not valid JSON, or fields need attention", {
            error: "validation",
            message: "Some fields need attention",
            fieldErrors: {
              version: ["Use a semantic version such as 1.4.0 or v2.0.0-rc.1"],
              changelog: ["The changelog is limited to 64 KB (UTF-8)"],
            },
          }),
        },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This document",
        security: [],
        responses: { "200": { description: "The OpenAPI document", content: { "application/json": {} } } },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: "http", scheme: "bearer", description: "An API token: glt_…" },
    },
    schemas: {
      ReleaseCreateRequest: jsonSchemaOf(releaseCreateInput),
      ReleaseCreateResult: {
        type: "object",
        required: ["release", "created"],
        properties: { release: ref("Release"), created: { type: "boolean" } },
      },
      Release: releaseSchema,
      Error: errorSchema,
    },
  },
};

export function GET(): Response {
  return Response.json(document, { headers: { "cache-control": "public, max-age=300" } });
}

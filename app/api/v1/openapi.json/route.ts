import { z } from "zod";
import { releaseCreateInput } from "@/lib/data/releases/create";
import { controlBody } from "@/lib/http/deployment-control";
import { checklistTickBody, flagChangeBody, promotionRequest, rollbackRequest } from "@/lib/http/api-schemas";
import { compareInput } from "@/lib/data/environments/compare";
import { checkReportBody } from "@/lib/data/checks/input";

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
  branch: "main",
  createdAt: "2026-03-01T12:03:10.000Z",
};

const EXAMPLE_CHECK = {
  name: "unit-tests",
  status: "success",
  url: "https://ci.example.com/storefront/runs/812",
  summary: "412 tests passed",
  environment: null,
  reportedBy: "token ci-main",
  createdAt: "2026-03-01T12:05:00.000Z",
  updatedAt: "2026-03-01T12:09:41.000Z",
};

const checkSchema = {
  type: "object",
  required: ["name", "status", "url", "summary", "environment", "reportedBy", "createdAt", "updatedAt"],
  properties: {
    name: { type: "string" },
    status: { type: "string", enum: ["pending", "success", "failure"] },
    url: { type: ["string", "null"], format: "uri" },
    summary: { type: ["string", "null"] },
    environment: {
      type: ["string", "null"],
      description: "The key of the environment the check speaks for; null: every environment",
    },
    reportedBy: { type: ["string", "null"], description: "A person's name, or token <name>" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const releaseSchema = {
  type: "object",
  required: [
    "id",
    "application",
    "version",
    "commitSha",
    "commitAt",
    "title",
    "changelog",
    "links",
    "branch",
    "createdAt",
  ],
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
    branch: { type: ["string", "null"], description: "The branch it was built from, if CI said" },
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

function driftSectionSchema(description: string) {
  return {
    type: "object",
    description,
    required: ["identical", "count", "differences", "equal"],
    properties: {
      identical: { type: "boolean", description: "no row differs" },
      count: { type: "integer", minimum: 0, description: "rows that differ" },
      differences: { type: "array", items: { type: "object" } },
      equal: { type: "array", items: { type: "object" } },
    },
  };
}

const driftEnvironment = {
  type: "object",
  required: ["key", "name", "position"],
  properties: { key: { type: "string" }, name: { type: "string" }, position: { type: "integer" } },
};

const driftSchema = {
  type: "object",
  required: ["a", "b", "asOf", "identical", "applications", "flags", "settings", "checklist", "deployTargets"],
  properties: {
    a: driftEnvironment,
    b: driftEnvironment,
    asOf: { type: "string", format: "date-time" },
    identical: { type: "boolean", description: "every section is identical" },
    applications: driftSectionSchema(
      "Per application: a and b (state running with version, none, or unknown after an interrupted deploy), " +
        "relation (same, ahead, behind, not_deployed, neither, unknown), aheadBy (releases, signed; null when " +
        "not comparable) and summary",
    ),
    flags: driftSectionSchema(
      "Per live flag: key, name, category, a and b ({ enabled, rolloutPercent, rules, text }) and changed " +
        "(enabled, rolloutPercent, rules)",
    ),
    settings: driftSectionSchema("Gates, rollout, health checks, flag approvals: key, group, label, a, b, text"),
    checklist: driftSectionSchema(
      "Checklist template items by section and label: change (same, only_a, only_b, changed)",
    ),
    deployTargets: driftSectionSchema("Per application: the provider in a and in b (null: no target)"),
  },
};

const EXAMPLE_DRIFT = {
  a: { key: "staging", name: "Staging", position: 1 },
  b: { key: "production", name: "Production", position: 2 },
  asOf: "2026-03-01T12:00:00.000Z",
  identical: false,
  applications: {
    identical: false,
    count: 1,
    differences: [
      {
        application: { key: "storefront", name: "Storefront" },
        a: {
          state: "running",
          releaseId: "0195a3c2-7b1e-7d40-9a51-3c1f2e4d5a60",
          version: "1.4.0",
          since: "2026-03-01T11:00:00.000Z",
        },
        b: {
          state: "running",
          releaseId: "0195a3c2-7b1e-7d40-9a51-3c1f2e4d5a5f",
          version: "1.1.0",
          since: "2026-02-27T09:00:00.000Z",
        },
        relation: "ahead",
        aheadBy: 3,
        summary: "Staging is 3 releases ahead of Production",
      },
    ],
    equal: [],
  },
  flags: {
    identical: false,
    count: 1,
    differences: [
      {
        key: "newDashboard",
        name: "New dashboard",
        category: "ui",
        a: { enabled: true, rolloutPercent: null, rules: "", text: "on" },
        b: { enabled: false, rolloutPercent: null, rules: "", text: "off" },
        changed: ["enabled"],
      },
    ],
    equal: [],
  },
  settings: {
    identical: false,
    count: 1,
    differences: [
      {
        key: "requiredApprovals",
        group: "gates",
        label: "Required approvals",
        a: 0,
        b: 1,
        text: { a: "0", b: "1" },
      },
    ],
    equal: [],
  },
  checklist: { identical: true, count: 0, differences: [], equal: [] },
  deployTargets: { identical: true, count: 0, differences: [], equal: [] },
};

const EXAMPLE_CHECKLIST_ITEM = {
  id: "0195a3c2-7b1e-7d40-9a51-3c1f2e4d5a62",
  section: "Deployment",
  label: "Run smoke tests",
  checked: true,
  checkedBy: "token ci-main",
  checkedAt: "2026-03-01T12:06:00.000Z",
  note: "all green",
};

const EXAMPLE_DEPLOYMENT = {
  id: "0195a3c2-7b1e-7d40-9a51-3c1f2e4d5a61",
  kind: "promotion",
  status: "running",
  final: false,
  phase: "analyse",
  strategy: "canary",
  application: "storefront",
  environment: "production",
  version: "1.4.0",
  previousVersion: "1.3.2",
  step: {
    current: 1,
    count: 3,
    plan: [
      { percent: 5, pauseSeconds: 300 },
      { percent: 50, pauseSeconds: 300 },
      { percent: 100, pauseSeconds: 0 },
    ],
  },
  trafficPercent: 50,
  color: "green",
  previousColor: "blue",
  queuePosition: null,
  pauseReason: null,
  failureReason: null,
  serviceUrl: "https://shop.example.com/",
  previewUrl: "https://green.shop.example.com/",
  health: [
    {
      check: "5xx ratio",
      kind: "prometheus",
      outcome: "success",
      value: 0.004,
      message: "0.004 ≤ 0.05",
      at: "2026-03-01T12:10:00.000Z",
    },
  ],
  steps: [],
  queuedAt: "2026-03-01T12:00:00.000Z",
  startedAt: "2026-03-01T12:00:01.000Z",
  finishedAt: null,
  checklist: {
    during: { closed: null, items: [EXAMPLE_CHECKLIST_ITEM] },
    after: { closed: "The deployment is still under way: these items open once it has finished.", items: [] },
  },
  links: {
    self: "https://greenlight.example.com/api/v1/deployments/0195a3c2-7b1e-7d40-9a51-3c1f2e4d5a61",
    page: "https://greenlight.example.com/deployments/0195a3c2-7b1e-7d40-9a51-3c1f2e4d5a61",
  },
};

const deploymentChecklistItemSchema = {
  type: "object",
  required: ["id", "section", "label", "checked", "checkedBy", "checkedAt", "note"],
  properties: {
    id: { type: "string", format: "uuid" },
    section: { type: ["string", "null"] },
    label: { type: "string" },
    checked: { type: "boolean" },
    checkedBy: { type: ["string", "null"], description: "A person's name, or token <name>" },
    checkedAt: { type: ["string", "null"], format: "date-time" },
    note: { type: ["string", "null"] },
  },
};

function deploymentChecklistPartSchema(description: string) {
  return {
    type: "object",
    description,
    required: ["closed", "items"],
    properties: {
      closed: { type: ["string", "null"], description: "null: its items may be ticked now; otherwise why not" },
      items: { type: "array", items: ref("DeploymentChecklistItem") },
    },
  };
}

const deploymentSchema = {
  type: "object",
  required: [
    "id",
    "status",
    "final",
    "phase",
    "strategy",
    "application",
    "environment",
    "version",
    "trafficPercent",
    "links",
  ],
  properties: {
    id: { type: "string", format: "uuid" },
    kind: { enum: ["promotion", "rollback"] },
    status: {
      enum: ["queued", "running", "paused", "rolling_back", "succeeded", "failed", "rolled_back", "cancelled"],
    },
    final: { type: "boolean", description: "true once the status can no longer change: stop polling" },
    phase: { enum: ["deploy", "smoke", "shift", "analyse", "await", "rollback", "done"] },
    strategy: { enum: ["direct", "blue_green", "canary"] },
    application: { type: "string" },
    environment: { type: "string" },
    version: { type: "string" },
    previousVersion: { type: ["string", "null"] },
    step: { type: "object", description: "current: -1 while deploying, then the index in plan" },
    trafficPercent: { type: "integer", minimum: 0, maximum: 100 },
    color: { enum: ["blue", "green", null] },
    previousColor: { enum: ["blue", "green", null] },
    queuePosition: { type: ["integer", "null"], description: "deployments waiting ahead of this one" },
    pauseReason: { type: ["string", "null"] },
    failureReason: { type: ["string", "null"] },
    serviceUrl: { type: ["string", "null"], description: "where the release runs, as the deploy target reported it" },
    previewUrl: {
      type: ["string", "null"],
      description: "the idle colour the release was deployed to (blue-green, canary), as the deploy target reported it",
    },
    health: { type: "array", description: "the latest measurement of each health check" },
    steps: { type: "array" },
    checklist: {
      type: "object",
      description: 'Its "during" and "after" checklist items (none for a rollback, or where the environment has none)',
      required: ["during", "after"],
      properties: {
        during: deploymentChecklistPartSchema("Tickable once the deployment has started"),
        after: deploymentChecklistPartSchema("Tickable once the deployment has ended"),
      },
    },
    links: { type: "object", properties: { self: { type: "string" }, page: { type: "string" } } },
  },
};

const deploymentOk = (description: string, status = "200") => ({
  [status]: {
    description,
    content: { "application/json": { schema: ref("Deployment"), example: EXAMPLE_DEPLOYMENT } },
  },
});

const commonErrors = {
  "401": { description: "No valid API token or session", content: { "application/json": { schema: ref("Error") } } },
  "403": {
    description: "The caller lacks the permission in that environment",
    content: { "application/json": { schema: ref("Error") } },
  },
  "404": {
    description: "Unknown, or in an environment the caller may not see",
    content: { "application/json": { schema: ref("Error") } },
  },
};

function control(verb: string, operationId: string, description: string) {
  return {
    post: {
      operationId,
      summary: `${verb} a rollout`,
      description: `${description} Needs deploy.trigger in the deployment's environment. Audited.`,
      security: [{ bearerAuth: [] }],
      requestBody: { required: false, content: { "application/json": { schema: ref("ControlRequest") } } },
      responses: {
        ...deploymentOk("The deployment as it is now"),
        ...commonErrors,
        "409": error("The deployment is not in a state that allows it", {
          error: "conflict",
          message: "The deployment of 1.4.0 is succeeded: only a running rollout can be paused",
        }),
        "422": error("The body has other fields than reason", {
          error: "validation",
          message: "Some fields need attention",
        }),
      },
    },
  };
}

function error(description: string, example: Record<string, unknown>) {
  return { description, content: { "application/json": { schema: ref("Error"), example } } };
}

function checkResult(description: string, isNew: boolean) {
  return {
    description,
    content: {
      "application/json": {
        schema: ref("CheckReportResult"),
        example: { check: EXAMPLE_CHECK, changed: true, checklist: { ticked: isNew ? 1 : 0, unticked: 0 } },
      },
    },
  };
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
                branch: "main",
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
    "/api/v1/releases/{id}/promotions": {
      post: {
        operationId: "promoteRelease",
        summary: "Promote a release into an environment",
        description:
          "The same gates, locks and audit as the Promote button; needs deploy.trigger in the environment. " +
          "202 with the queued deployment (it may wait behind another one there, see queuePosition); poll links.self until final.",
        security: [{ bearerAuth: [] }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        requestBody: {
          required: true,
          content: { "application/json": { schema: ref("PromotionRequest"), example: { environment: "production" } } },
        },
        responses: {
          ...deploymentOk("The deployment was queued", "202"),
          ...commonErrors,
          "409": error(
            "A gate is closed, the release is already there, or the environment refuses a second promotion",
            {
              error: "conflict",
              message: "1.4.0 cannot be promoted to Production: Approvals: 1 of 2",
            },
          ),
          "422": error("The body needs attention", { error: "validation", message: "Some fields need attention" }),
        },
      },
    },
    "/api/v1/releases/{id}/checks": {
      post: {
        operationId: "reportCheck",
        summary: "Report a CI check on a release (idempotent per release and name; the latest report wins)",
        description:
          "Like a commit status: one check per release and name. A check with `environment` speaks for that environment and " +
          "needs release.check there; one without speaks for every environment and needs release.check in the first " +
          "environment of the pipeline, where releases enter. `success` ticks the checklist items that name the check, " +
          "`failure` or `pending` unticks them (whoever ticked them); environments may require checks to pass before a " +
          "release enters (the Required checks gate). A repeat of what the check says already changes nothing. Audited.",
        security: [{ bearerAuth: [] }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("CheckReportRequest"),
              example: {
                name: "unit-tests",
                status: "success",
                url: "https://ci.example.com/storefront/runs/812",
                summary: "412 tests passed",
              },
            },
          },
        },
        responses: {
          "201": checkResult("The first report under this name", true),
          "200": checkResult("The check changed, or already said exactly this (changed: false)", false),
          ...commonErrors,
          "403": error("The caller lacks release.check where the check speaks", {
            error: "forbidden",
            message: "You need the release.check permission in Development to do this",
          }),
          "404": error("No such release, or an environment that does not exist or the caller may not see", {
            error: "not_found",
            message: "Release was not found",
          }),
          "415": error("The body was not sent as application/json", {
            error: "unsupported_media_type",
            message: "Send a JSON body with Content-Type: application/json",
          }),
          "422": error("The body needs attention", {
            error: "validation",
            message: "Some fields need attention",
            fieldErrors: { status: ["Use pending, success or failure"], url: ["Enter an absolute http(s) address"] },
          }),
        },
      },
      get: {
        operationId: "listChecks",
        summary: "List a release's CI checks",
        description:
          "The checks that speak for every environment and those of environments the caller may view. " +
          "404 for an unknown release, and for a caller who may view no environment.",
        security: [{ bearerAuth: [] }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: {
          "200": {
            description: "The release's checks, by name",
            content: {
              "application/json": {
                schema: ref("CheckList"),
                example: { releaseId: EXAMPLE_RELEASE.id, version: "1.4.0", checks: [EXAMPLE_CHECK] },
              },
            },
          },
          ...commonErrors,
        },
      },
    },
    "/api/v1/deployments/{id}": {
      get: {
        operationId: "getDeployment",
        summary: "Read a deployment: status, step, traffic, health",
        security: [{ bearerAuth: [] }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: { ...deploymentOk("The deployment"), ...commonErrors },
      },
    },
    "/api/v1/deployments/{id}/pause": control("Pause", "pauseDeployment", "Stops the rollout at its current step."),
    "/api/v1/deployments/{id}/resume": control("Resume", "resumeDeployment", "Goes on from the step it paused at."),
    "/api/v1/deployments/{id}/abort": control(
      "Abort",
      "abortDeployment",
      "Rolls the traffic back to the previous release.",
    ),
    "/api/v1/deployments/{id}/promote-now": control(
      "Speed up",
      "promoteNow",
      "Skips the remaining pauses between steps.",
    ),
    "/api/v1/deployments/{id}/cancel": control(
      "Cancel",
      "cancelDeployment",
      "Cancels a deployment still waiting in the queue.",
    ),
    "/api/v1/deployments/{id}/checklist/{item}": {
      put: {
        operationId: "tickDeploymentChecklistItem",
        summary: "Tick or untick one of a deployment's during or after checklist items",
        description:
          "As people do on the deployment's page; needs checklist.tick in the deployment's environment. \"during\" items " +
          'may be ticked once the deployment has started, "after" items once it has ended (409 with the reason ' +
          "before). Unticking clears the note; a tick without a note keeps the one written before. A repeat of the " +
          "item's state changes nothing (changed: false). Each change is audited and written to the deployment's log.",
        security: [{ bearerAuth: [] }],
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
          {
            name: "item",
            in: "path",
            required: true,
            schema: { type: "string", format: "uuid" },
            description: "The item's id, from the deployment's checklist",
          },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("ChecklistTickRequest"),
              example: { checked: true, note: "all green" },
            },
          },
        },
        responses: {
          "200": {
            description: "The item as it is now; changed: false when it already was so",
            content: {
              "application/json": {
                schema: ref("ChecklistTickResult"),
                example: {
                  item: {
                    id: EXAMPLE_CHECKLIST_ITEM.id,
                    phase: "during",
                    label: "Run smoke tests",
                    checked: true,
                    checkedAt: "2026-03-01T12:06:00.000Z",
                    note: "all green",
                  },
                  changed: true,
                },
              },
            },
          },
          ...commonErrors,
          "403": error("The caller lacks checklist.tick in the deployment's environment", {
            error: "forbidden",
            message: "You need the checklist.tick permission in Production to do this",
          }),
          "404": error("No such deployment, one the caller may not see, or an item that is not one of its items", {
            error: "not_found",
            message: "Checklist item of this deployment was not found",
          }),
          "409": error("The item cannot be ticked or unticked now", {
            error: "conflict",
            message:
              "“Notify stakeholders” cannot be ticked or unticked now. The deployment is still under way: these items open once it has finished.",
          }),
          "422": error("The body needs attention", {
            error: "validation",
            message: "Some fields need attention",
            fieldErrors: { checked: ["Say whether the item is ticked (true or false)"] },
          }),
        },
      },
    },
    "/api/v1/deployments/{id}/events": {
      post: {
        operationId: "reportDeploymentEvent",
        summary: "A webhook receiver reports a step's progress or result",
        description:
          "Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256>) with the " +
          "deploy target's whsec_ secret; no token. Events older or newer than 5 minutes are refused; a repeated webhook-id " +
          "is accepted once. `step` is the index Greenlight sent in the step's event (-1 for the deploy).",
        security: [],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                oneOf: [
                  {
                    type: "object",
                    required: ["type", "message"],
                    properties: { type: { const: "progress" }, message: { type: "string" }, step: { type: "integer" } },
                  },
                  {
                    type: "object",
                    required: ["type", "step"],
                    properties: {
                      type: { const: "step.succeeded" },
                      step: { type: "integer" },
                      message: { type: "string" },
                      url: { type: "string", description: "where the release runs (http or https); optional" },
                      previewUrl: {
                        type: "string",
                        description:
                          "where the idle colour just deployed answers, for the smoke check before traffic moves; optional",
                      },
                    },
                  },
                  {
                    type: "object",
                    required: ["type", "step", "reason"],
                    properties: {
                      type: { const: "step.failed" },
                      step: { type: "integer" },
                      reason: { type: "string" },
                    },
                  },
                ],
              },
              example: { type: "step.succeeded", step: 1, message: "50 % of traffic on green" },
            },
          },
        },
        responses: {
          "202": { description: "Recorded; `applied` says whether it answered the step the deployment waits for" },
          "200": { description: "A repeated webhook-id: already recorded, nothing changed" },
          "400": error("Missing headers, or an event Greenlight does not know", {
            error: "bad_request",
            message: "The body is not JSON",
          }),
          "401": error("Bad signature, or a timestamp more than 5 minutes away", {
            error: "unauthorized",
            message: "The event is more than 5 minutes old: sign it with the current time",
          }),
          "404": error("No deployment with a webhook target has this id", {
            error: "not_found",
            message: "No deployment with a webhook target has this id",
          }),
          "503": error("The target's secret is not set on this server", { error: "not_configured", message: "…" }),
        },
      },
    },
    "/api/v1/environments/{key}/rollback": {
      post: {
        operationId: "rollbackEnvironment",
        summary: "Roll an application back to its previous successful release",
        description:
          "Needs deploy.rollback in the environment and a reason; recorded as a deployment (202) and audited. " +
          "Queued promotions of the application there are cancelled, and the environment then holds the version: " +
          "auto-promotion into it stops until the hold is released.",
        security: [{ bearerAuth: [] }],
        parameters: [{ name: "key", in: "path", required: true, schema: { type: "string" } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("RollbackRequest"),
              example: { application: "storefront", reason: "5xx after 1.4.0" },
            },
          },
        },
        responses: {
          ...deploymentOk("The rollback deployment was queued", "202"),
          ...commonErrors,
          "409": error("Nothing to roll back to, or a rollout is under way", {
            error: "conflict",
            message: "1.4.0 is being deployed to Production (running): abort that rollout to roll back",
          }),
          "422": error("The body needs attention", { error: "validation", message: "Some fields need attention" }),
        },
      },
    },
    "/api/v1/environments/{key}/flags/{flag}": {
      put: {
        operationId: "changeFlag",
        summary: "Change a feature flag in an environment",
        description:
          "Needs flag.toggle in the environment. Where the environment needs approval for flag changes, the change " +
          "becomes a change request (202) that others approve in the browser, and `reason` is required; " +
          "`breakGlass: true` with a reason applies it at once for environment.manage holders, on the record. " +
          "`applyAt` (ISO 8601 with an offset) schedules it (202). Audited with before and after.",
        security: [{ bearerAuth: [] }],
        parameters: [
          { name: "key", in: "path", required: true, schema: { type: "string" } },
          { name: "flag", in: "path", required: true, schema: { type: "string" } },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("FlagChangeRequest"),
              example: { enabled: true, rolloutPercent: 25, rules: "country in FR, DE", reason: "Launch in France" },
            },
          },
        },
        responses: {
          "200": {
            description: "Applied",
            content: {
              "application/json": {
                example: { outcome: "applied", flagKey: "checkout-v2", enabled: true, rolloutPercent: 25 },
              },
            },
          },
          "202": {
            description: "Waiting: a change request for approval, or a scheduled change",
            content: {
              "application/json": {
                example: { outcome: "requested", flagKey: "checkout-v2", requestId: "…", requiredApprovals: 1 },
              },
            },
          },
          ...commonErrors,
          "409": error("The flag is archived, or already has the requested state", {
            error: "conflict",
            message: 'Flag "old-banner" is archived: it is no longer served and cannot be changed',
          }),
          "422": error("The body needs attention", { error: "validation", message: "Some fields need attention" }),
        },
      },
    },
    "/api/v1/environments/compare": {
      get: {
        operationId: "compareEnvironments",
        summary: "Compare two environments (drift)",
        description:
          "What runs per application in each (the latest successful deployment) and how many releases apart " +
          "(`aheadBy` > 0: `a` runs the newer one), every feature flag whose state differs (switch, share, " +
          "targeting rules), and the gates, rollout, health checks, checklist template items and deploy target " +
          "providers that differ. Each section has `identical`, `count` (rows that differ), `differences` and " +
          "`equal`; the top-level `identical` is true when every section is. A CI step that must stop on flag " +
          "drift checks `flags.identical`. Needs environment.view in both environments.",
        security: [{ bearerAuth: [] }],
        parameters: [
          {
            name: "a",
            in: "query",
            required: true,
            schema: { type: "string" },
            description: "The first environment's key",
            example: "staging",
          },
          {
            name: "b",
            in: "query",
            required: true,
            schema: { type: "string" },
            description: "The environment to compare it with; not the same as a",
            example: "production",
          },
        ],
        responses: {
          "200": {
            description: "The comparison",
            content: { "application/json": { schema: ref("EnvironmentDrift"), example: EXAMPLE_DRIFT } },
          },
          "401": commonErrors["401"],
          "404": commonErrors["404"],
          "422": error("A parameter is missing, or both name the same environment", {
            error: "validation",
            message: "Some fields need attention",
            fieldErrors: { b: ["Choose two different environments"] },
          }),
        },
      },
    },
    "/api/v1/environments/{key}/hold": {
      delete: {
        operationId: "releaseHold",
        summary: "Release the hold an application keeps after a rollback",
        security: [{ bearerAuth: [] }],
        parameters: [
          { name: "key", in: "path", required: true, schema: { type: "string" } },
          { name: "application", in: "query", required: true, schema: { type: "string" } },
          { name: "reason", in: "query", required: false, schema: { type: "string" } },
        ],
        responses: {
          "204": { description: "Released: auto-promotion into the environment resumes" },
          ...commonErrors,
          "409": error("Nothing is held", {
            error: "conflict",
            message: "Nothing is held in Production for that application",
          }),
        },
      },
    },
    "/api/v1/metrics": {
      get: {
        operationId: "getMetrics",
        summary: "DORA metrics of an environment over a range, or the deployments behind them as CSV",
        description:
          "Deployment frequency, change lead time (median, p90), change failure rate, failed deployment recovery " +
          "time (median, open failures) and rework rate, with their DORA level (2023 report clusters), the team's " +
          "targets and a trend (`unit` week, Monday UTC, or month past 26 weeks; `trend` one bucket each). Cancelled deployments do not count. Environments the caller " +
          "may not view (environment.view) are unknown (404).",
        security: [{ bearerAuth: [] }],
        parameters: [
          {
            name: "environment",
            in: "query",
            required: false,
            schema: { type: "string" },
            description: "An environment's key; default: the last in pipeline order the caller may view",
          },
          {
            name: "application",
            in: "query",
            required: false,
            schema: { type: "string" },
            description: "default: all",
          },
          {
            name: "range",
            in: "query",
            required: false,
            schema: { type: "string", enum: ["7", "30", "90", "custom"] },
          },
          { name: "from", in: "query", required: false, schema: { type: "string", format: "date" } },
          {
            name: "to",
            in: "query",
            required: false,
            schema: { type: "string", format: "date" },
            description: "inclusive; at most 2 years after from",
          },
          {
            name: "metric",
            in: "query",
            required: false,
            schema: {
              type: "string",
              enum: ["all", "deployment_frequency", "lead_time", "change_failure_rate", "recovery_time", "rework_rate"],
            },
            description: "CSV: only the deployments that metric was computed from",
          },
          { name: "format", in: "query", required: false, schema: { type: "string", enum: ["json", "csv"] } },
        ],
        responses: {
          "200": {
            description: "The figures (JSON) or the deployments behind them (CSV)",
            content: { "application/json": { schema: { type: "object" } }, "text/csv": { schema: { type: "string" } } },
          },
          ...commonErrors,
          "422": error("A range that ends before it starts or spans more than 2 years", {
            error: "validation",
            message: "Some fields need attention",
            fieldErrors: { to: ["End the range on or after its first day"] },
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
      Deployment: deploymentSchema,
      PromotionRequest: jsonSchemaOf(promotionRequest),
      CheckReportRequest: jsonSchemaOf(checkReportBody),
      Check: checkSchema,
      CheckReportResult: {
        type: "object",
        required: ["check", "changed", "checklist"],
        properties: {
          check: ref("Check"),
          changed: { type: "boolean", description: "false: the check already said exactly this; nothing was written" },
          checklist: {
            type: "object",
            description: "How many checklist items this report ticked and unticked",
            required: ["ticked", "unticked"],
            properties: { ticked: { type: "integer", minimum: 0 }, unticked: { type: "integer", minimum: 0 } },
          },
        },
      },
      CheckList: {
        type: "object",
        required: ["releaseId", "version", "checks"],
        properties: {
          releaseId: { type: "string", format: "uuid" },
          version: { type: "string" },
          checks: { type: "array", items: ref("Check") },
        },
      },
      RollbackRequest: jsonSchemaOf(rollbackRequest),
      FlagChangeRequest: jsonSchemaOf(flagChangeBody),
      ControlRequest: jsonSchemaOf(controlBody),
      ChecklistTickRequest: jsonSchemaOf(checklistTickBody),
      DeploymentChecklistItem: deploymentChecklistItemSchema,
      ChecklistTickResult: {
        type: "object",
        required: ["item", "changed"],
        properties: {
          item: {
            type: "object",
            required: ["id", "phase", "label", "checked", "checkedAt", "note"],
            properties: {
              id: { type: "string", format: "uuid" },
              phase: { enum: ["during", "after"] },
              label: { type: "string" },
              checked: { type: "boolean" },
              checkedAt: { type: ["string", "null"], format: "date-time" },
              note: { type: ["string", "null"] },
            },
          },
          changed: { type: "boolean", description: "false: the item already was so; nothing was written" },
        },
      },
      Error: errorSchema,
      EnvironmentCompareQuery: jsonSchemaOf(compareInput),
      EnvironmentDrift: driftSchema,
    },
  },
};

export function GET(): Response {
  return Response.json(document, { headers: { "cache-control": "public, max-age=300" } });
}

import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/domain/access";
import { branchNameProblem, MAX_BRANCH_LENGTH } from "@/lib/domain/branches";
import { db } from "../../db";
import { audit, type Tx } from "../audit/record";
import { ConflictError, NotFoundError } from "../errors";
import { copyChecklist } from "../promotion/gate-facts";
import { autoPromote } from "../promotion/auto-promote";
import { releaseArrived } from "../notifications/emit";
import { transaction, type Sql } from "../context";
import { isoDateTime } from "../input";
import { defineOperation, type OperationEnvironment } from "../operation";

// A new release, by hand or from CI (POST /api/v1/releases). CI retries, so creation is
// idempotent on (application, version): a repeat with the same commit returns the release
// that exists, the same version at another commit is a conflict. Releases enter the pipeline
// at its first environment, so that is where release.create is checked.

export const MAX_CHANGELOG_BYTES = 65_536;
export const MAX_LINKS = 20;

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

// Semantic versions with an optional leading "v", pre-release and build metadata (1.4.0,
// v2.0.0-rc.1, 1.0.0-beta+exp.sha.5114f85)
const VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const link = z.object({
  label: z.string().trim().min(1).max(80),
  url: z.url({ protocol: /^https?$/, error: "Enter an http(s) address" }).max(2000),
});

/** The request body of POST /api/v1/releases; the OpenAPI document is generated from it. */
export const releaseCreateInput = z.object({
  application: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .meta({ description: "The application's key", examples: ["storefront"] }),
  version: z
    .string()
    .trim()
    .max(64)
    .regex(VERSION, "Use a semantic version such as 1.4.0 or v2.0.0-rc.1")
    .meta({ examples: ["1.4.0"] }),
  // written as a character class, not a case-insensitive flag: JSON Schema patterns have no flags
  commitSha: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{7,40}$/, "Use a commit SHA of 7 to 40 hexadecimal characters")
    .toLowerCase()
    .meta({ examples: ["3f2a9c1e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a90"] }),
  // years 1970–9999 in UTC: PostgreSQL reads neither a year 0 nor a year 10000 (lib/data/input.ts)
  commitAt: isoDateTime().nullable().optional(),
  title: z.string().trim().min(1, "Enter a title").max(200, "At most 200 characters"),
  changelog: z
    .string()
    // characters ≤ bytes, so this bound is implied by the byte limit; it lets schemas state it
    .max(MAX_CHANGELOG_BYTES)
    .refine((text) => utf8Bytes(text) <= MAX_CHANGELOG_BYTES, "The changelog is limited to 64 KB (UTF-8)")
    .meta({ description: "Markdown, at most 65,536 bytes in UTF-8" }),
  links: z.array(link).max(MAX_LINKS).optional(),
  branch: z
    .string()
    .trim()
    .max(MAX_BRANCH_LENGTH, `Use at most ${MAX_BRANCH_LENGTH} characters`)
    .superRefine((name, ctx) => {
      const problem = name === "" ? null : branchNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((name) => name || null)
    .nullable()
    .optional()
    .meta({
      description: "The branch the release was built from; environments may take only some branches (branch rules)",
      examples: ["main"],
    }),
});

export type ReleaseCreateInput = z.infer<typeof releaseCreateInput>;

/** A release as the API returns it (dates as ISO strings: this is also its audit record). */
export interface CreatedRelease {
  id: string;
  application: string;
  version: string;
  commitSha: string;
  commitAt: string | null;
  title: string;
  changelog: string;
  links: { label: string; url: string }[];
  branch: string | null;
  createdAt: string;
}

export interface ReleaseCreateResult {
  release: CreatedRelease;
  /** false: the release already existed with this commit and is returned as it is */
  created: boolean;
}

const releaseColumns = {
  id: true,
  version: true,
  commitSha: true,
  commitAt: true,
  title: true,
  changelog: true,
  links: true,
  branch: true,
  createdAt: true,
} as const;

type ReleaseRow = {
  id: string;
  version: string;
  commitSha: string;
  commitAt: Date | null;
  title: string;
  changelog: string;
  links: unknown;
  branch: string | null;
  createdAt: Date;
};

const storedLinks = z.array(z.object({ label: z.string(), url: z.string() })).catch([]);

function toCreatedRelease(applicationKey: string, row: ReleaseRow): CreatedRelease {
  return {
    id: row.id,
    application: applicationKey,
    version: row.version,
    commitSha: row.commitSha,
    commitAt: row.commitAt?.toISOString() ?? null,
    title: row.title,
    changelog: row.changelog,
    links: storedLinks.parse(row.links),
    branch: row.branch,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Where releases enter the pipeline: the environment with the lowest position. */
export async function firstEnvironment(sql: Sql = db()) {
  const [environment] = await sql.$queryRaw<OperationEnvironment[]>`
    select id, name, json_build_object('required', "requireSecondFactor", 'maxAgeMinutes', "secondFactorMaxAgeMinutes") as "secondFactor"
    from "Environment" order by position, "createdAt" limit 1`;
  if (!environment) throw new ConflictError("There are no environments yet: add one before creating releases");
  return environment;
}

/**
 * Inserts unless (application, version) exists. ON CONFLICT DO NOTHING (skipDuplicates) waits
 * for a concurrent insert of the same key to commit and then skips, without aborting this
 * transaction — so the read that follows sees the winner's row. Check-then-insert would let
 * two requests both see "absent".
 */
async function insertOrFind(tx: Tx, actor: Actor, applicationId: string, input: ReleaseCreateInput) {
  const [inserted] = await tx.release.createManyAndReturn({
    data: [
      {
        applicationId,
        version: input.version,
        commitSha: input.commitSha,
        commitAt: input.commitAt ? new Date(input.commitAt) : null,
        title: input.title,
        changelog: input.changelog,
        links: input.links ?? [],
        branch: input.branch ?? null,
        createdById: actor.kind === "user" ? actor.id : null,
        createdByTokenId: actor.kind === "token" ? actor.id : null,
      },
    ],
    skipDuplicates: true,
    select: releaseColumns,
  });
  if (inserted) return { row: inserted, created: true };
  const existing = await tx.release.findUniqueOrThrow({
    where: { applicationId_version: { applicationId, version: input.version } },
    select: releaseColumns,
  });
  return { row: existing, created: false };
}

export const createRelease = defineOperation({
  name: "release.create",
  permission: "release.create",
  input: releaseCreateInput,
  scope: "environment",
  environment: (_input, sql) => firstEnvironment(sql),
  async run({ actor, input, environment, ctx }): Promise<ReleaseCreateResult> {
    return transaction(ctx, async (tx) => {
      // looked up after authorization, so a caller without the permission cannot probe keys
      const application = await tx.application.findUnique({
        where: { key: input.application },
        select: { id: true, key: true },
      });
      if (!application) throw new NotFoundError(`Application "${input.application}"`);
      const { row, created } = await insertOrFind(tx, actor, application.id, input);
      const release = toCreatedRelease(application.key, row);
      if (!created) {
        if (row.commitSha !== input.commitSha)
          throw new ConflictError(
            `${application.key} ${input.version} already exists at commit ${row.commitSha}; a version cannot move to another commit`,
          );
        return { release, created };
      }
      await audit(tx, actor, {
        action: "release.create",
        entityType: "Release",
        entityId: release.id,
        environmentId: environment.id,
        before: null,
        after: { ...release },
      });
      // the new release is the first environment's candidate: it gets that checklist now, and
      // where that stage promotes automatically (every merge lands in development) it deploys
      // there at once when its gates pass, in this same transaction
      await copyChecklist(tx, release.id, environment.id);
      await autoPromote(release.id, environment.id, { tx });
      await releaseArrived(tx, { releaseId: release.id, environmentId: environment.id });
      return { release, created };
    });
  },
});

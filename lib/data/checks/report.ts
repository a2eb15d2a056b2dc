import "server-only";
import { z } from "zod";
import { audit } from "../audit/record";
import { transaction } from "../context";
import { environmentByKey } from "../environments/by-key";
import { checkStatusEnum } from "../enums";
import { gatesMayHaveOpened } from "../promotion/reevaluate";
import { defineOperation } from "../operation";
import { firstEnvironment } from "../releases/create";
import { lockRelease } from "../releases/lock";
import { httpUrl } from "../pipeline/summaries";
import { applyCheckToChecklist } from "./checklist";
import { checkReportBody } from "./input";
import { readCheck, type CheckView } from "./view";

// A CI check on a release (POST /api/v1/releases/{id}/checks), like a code host's commit
// status: one row per release × name, and the latest report wins. A repeat that says what the
// row says already changes nothing and writes no audit row (CI retries); every change is
// audited with before and after, and ticks or unticks the checklist items that name the check,
// in the same transaction.
//
// Where the permission is checked: a check that names an environment (smoke tests in staging)
// speaks for that environment only and needs release.check there; one without speaks for every
// environment and needs release.check where releases enter the pipeline (the first stage, where
// release.create is checked too), since it describes the release as built. An environment the
// caller may not see is unknown (404), as is a release that does not exist. Reports of the same
// release queue behind its row lock, so two at once end as one row, the later one winning.

export const checkReportInput = checkReportBody.extend({ releaseId: z.guid("Not a release id") });

export interface CheckReportResult {
  check: CheckView;
  /** false: the check already said exactly this; nothing was written */
  changed: boolean;
  /** true: no row existed under this name before */
  created: boolean;
  /** the checklist items this report ticked and unticked */
  checklist: { ticked: number; unticked: number };
}

export const reportCheck = defineOperation({
  name: "release.check.report",
  permission: "release.check",
  input: checkReportInput,
  scope: "environment",
  hidden: "not_found",
  environment: (input, sql) => (input.environment ? environmentByKey(sql, input.environment) : firstEnvironment(sql)),
  async run({ actor, input, environment, ctx }): Promise<CheckReportResult> {
    return transaction(ctx, async (tx) => {
      const release = await lockRelease(tx, input.releaseId);
      const speaksFor = input.environment ? environment.id : null;
      const next = {
        status: input.status,
        // stored as read back (https://ci.example → https://ci.example/), so a repeat compares equal
        url: input.url ? (httpUrl(input.url) ?? input.url) : null,
        summary: input.summary ? input.summary : null,
        environmentId: speaksFor,
      };
      const existing = await readCheck(tx, release.id, input.name);
      if (
        existing &&
        existing.status === next.status &&
        existing.url === next.url &&
        existing.summary === next.summary &&
        existing.environmentId === next.environmentId
      )
        return { check: existing, changed: false, created: false, checklist: { ticked: 0, unticked: 0 } };

      const reporter = {
        reportedById: actor.kind === "user" ? actor.id : null,
        reportedByTokenId: actor.kind === "token" ? actor.id : null,
      };
      const status = checkStatusEnum.toDb(next.status);
      // under the release's lock no other report of this release runs: the upsert cannot race
      await tx.releaseCheck.upsert({
        where: { releaseId_name: { releaseId: release.id, name: input.name } },
        create: { releaseId: release.id, name: input.name, ...next, status, ...reporter },
        update: { ...next, status, ...reporter },
        select: { id: true },
      });
      const saved = await readCheck(tx, release.id, input.name);
      if (!saved) throw new Error("the check vanished under the release's lock");

      const described = (c: CheckView) => ({
        name: c.name,
        status: c.status,
        url: c.url,
        summary: c.summary,
        environment: c.environment?.key ?? null,
      });
      await audit(tx, actor, {
        action: "release.check.report",
        entityType: "ReleaseCheck",
        entityId: saved.id,
        environmentId: environment.id,
        before: existing ? described(existing) : null,
        after: { ...described(saved), releaseId: release.id, version: saved.version },
      });
      const checklist = await applyCheckToChecklist(tx, actor, release.id, saved);
      // a status that moved may open or close a gate (the checks gate, a checklist item)
      if (existing?.status !== saved.status || checklist.ticked + checklist.unticked > 0)
        await gatesMayHaveOpened(tx, { releaseId: release.id });
      return { check: saved, changed: true, created: existing === null, checklist };
    });
  },
});

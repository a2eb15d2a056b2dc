import { z } from "zod";
import { checkReportBody, listChecks, reportCheck, type CheckView } from "@/lib/data/checks";
import { NotFoundError } from "@/lib/data/errors";
import { route } from "@/lib/http/route";

// CI checks on a release, like a code host's commit statuses. POST reports one (release.check
// in the environment it speaks for, or where releases enter when it speaks for all): 201 for a
// new name, 200 for a change or a repeat (a repeat changes nothing). GET lists them. 404 for an
// unknown release, a malformed id, or an environment the caller may not see.
export const dynamic = "force-dynamic";

function checkJson(
  check: Pick<
    CheckView,
    "name" | "status" | "url" | "summary" | "environment" | "reportedBy" | "createdAt" | "updatedAt"
  >,
) {
  return {
    name: check.name,
    status: check.status,
    url: check.url,
    summary: check.summary,
    environment: check.environment?.key ?? null,
    reportedBy: check.reportedBy,
    createdAt: check.createdAt.toISOString(),
    updatedAt: check.updatedAt.toISOString(),
  };
}

export const POST = route({
  auth: "session-or-token",
  input: { from: "json", schema: checkReportBody },
  headers: { "cache-control": "no-store" },
  async handle({ actor, input, params }) {
    if (!z.guid().safeParse(params.id).success) throw new NotFoundError("Release");
    const result = await reportCheck(actor, { ...input, releaseId: params.id ?? "" });
    return Response.json(
      { check: checkJson(result.check), changed: result.changed, checklist: result.checklist },
      { status: result.created ? 201 : 200 },
    );
  },
});

export const GET = route({
  auth: "session-or-token",
  headers: { "cache-control": "no-store" },
  async handle({ actor, params }) {
    const list = await listChecks(actor, params.id ?? "");
    return Response.json({ releaseId: list.releaseId, version: list.version, checks: list.checks.map(checkJson) });
  },
});

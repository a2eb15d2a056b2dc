import "server-only";
import type { Actor } from "@/lib/domain/access";
import { evaluateGates, type Gate } from "@/lib/domain/gates";
import { cellKey, type PipelineCell, type ReleaseRef } from "@/lib/domain/pipeline";
import { db } from "../../db";
import { gateInput, readGateFactsMany } from "../promotion/gate-facts";

// The gates of every release waiting on the board, read in ONE statement for all (release,
// environment) pairs (gate-facts.ts readGateFactsMany), then evaluated as the release page and
// the promote action evaluate them.

/** What a waiting cell shows: the gates of the release that waits there, in GATE_KEYS order. */
export interface GateSummary {
  releaseId: string;
  gates: Gate[];
}

// the key lives in lib/domain (components build it too); re-exported for the callers of the gates
export { cellKey };

/**
 * Per waiting cell of the board ("<applicationId>:<environmentId>"), the gates of the release
 * waiting there, evaluated at the board's `asOf`. The overview holds only environments the
 * actor may view, so the cells need no further check. One statement (none without waiting cells).
 */
export async function getPipelineGates(
  _actor: Actor,
  // the board's overview, or any rows of cells (an environment's page hands its own column)
  overview: {
    asOf: Date;
    pipeline: {
      rows: readonly {
        applicationId: string;
        cells: readonly Pick<PipelineCell<ReleaseRef>, "environmentId" | "waiting">[];
      }[];
    };
  },
): Promise<Record<string, GateSummary>> {
  const cells = overview.pipeline.rows.flatMap((row) =>
    row.cells.flatMap((cell) =>
      cell.waiting
        ? [
            {
              key: cellKey(row.applicationId, cell.environmentId),
              releaseId: cell.waiting.release.id,
              environmentId: cell.environmentId,
            },
          ]
        : [],
    ),
  );
  const facts = await readGateFactsMany(db(), cells);
  const gates: Record<string, GateSummary> = {};
  cells.forEach((cell, i) => {
    const found = facts[i];
    if (found) gates[cell.key] = { releaseId: cell.releaseId, gates: evaluateGates(gateInput(found, overview.asOf)) };
  });
  return gates;
}

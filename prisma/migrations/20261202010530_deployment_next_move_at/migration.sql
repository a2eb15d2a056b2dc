-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "nextMoveAt" TIMESTAMP(3);

-- Rollouts under way when this runs: their next move is due now, or at an awaited step's
-- deadline (sending that job early would fail the step). A move whose job still waits runs
-- once either way: the job carries the stepVersion.
UPDATE "Deployment" SET "nextMoveAt" = CASE WHEN "phase" = 'await' THEN COALESCE("stepEndsAt", now()) ELSE now() END
WHERE "status" IN ('running', 'rolling_back') AND NOT "inFlight";

-- CreateEnum
CREATE TYPE "ChecklistPhase" AS ENUM ('before', 'during', 'after');

-- AlterTable
ALTER TABLE "ChecklistTemplateItem" ADD COLUMN     "phase" "ChecklistPhase" NOT NULL DEFAULT 'before';

-- CreateTable
CREATE TABLE "DeploymentChecklistItem" (
    "id" UUID NOT NULL,
    "deploymentId" UUID NOT NULL,
    "templateItemId" UUID,
    "phase" "ChecklistPhase" NOT NULL,
    "position" INTEGER NOT NULL,
    "section" TEXT,
    "label" TEXT NOT NULL,
    "hint" TEXT,
    "checkedById" UUID,
    "checkedByTokenId" UUID,
    "checkedAt" TIMESTAMP(3),
    "note" TEXT,

    CONSTRAINT "DeploymentChecklistItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeploymentChecklistItem_deploymentId_phase_position_idx" ON "DeploymentChecklistItem"("deploymentId", "phase", "position");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentChecklistItem_deploymentId_templateItemId_key" ON "DeploymentChecklistItem"("deploymentId", "templateItemId");

-- AddForeignKey
ALTER TABLE "DeploymentChecklistItem" ADD CONSTRAINT "DeploymentChecklistItem_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentChecklistItem" ADD CONSTRAINT "DeploymentChecklistItem_templateItemId_fkey" FOREIGN KEY ("templateItemId") REFERENCES "ChecklistTemplateItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentChecklistItem" ADD CONSTRAINT "DeploymentChecklistItem_checkedById_fkey" FOREIGN KEY ("checkedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentChecklistItem" ADD CONSTRAINT "DeploymentChecklistItem_checkedByTokenId_fkey" FOREIGN KEY ("checkedByTokenId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Data: template items filed under the "Deployment" and "Post-deployment" sections (seeds 002
-- and 004, and anything written like them) are worked through during and after a deployment.
UPDATE "ChecklistTemplateItem" SET "phase" = 'during'
WHERE lower(btrim("section")) IN ('deployment', 'during deployment', 'during the deployment');
UPDATE "ChecklistTemplateItem" SET "phase" = 'after'
WHERE lower(btrim("section")) IN ('post-deployment', 'post deployment', 'postdeployment', 'after deployment', 'after the deployment');

-- A release's copies of those items move to the deployment they were about: the release's
-- latest promotion into that environment that started. Ticks, who and notes travel with them.
INSERT INTO "DeploymentChecklistItem" ("id", "deploymentId", "templateItemId", "phase", "position", "section",
  "label", "hint", "checkedById", "checkedByTokenId", "checkedAt", "note")
SELECT gen_random_uuid(), d."id", ci."templateItemId", ti."phase", ci."position", ci."section", ci."label", ci."hint",
  ci."checkedById", ci."checkedByTokenId", ci."checkedAt", ci."note"
FROM "ChecklistItem" ci
JOIN "ChecklistTemplateItem" ti ON ti."id" = ci."templateItemId" AND ti."phase" <> 'before'
JOIN LATERAL (
  SELECT d."id" FROM "Deployment" d
  WHERE d."releaseId" = ci."releaseId" AND d."environmentId" = ci."environmentId"
    AND d."kind" = 'promotion' AND d."startedAt" IS NOT NULL
  ORDER BY d."queuedAt" DESC, d."id" DESC LIMIT 1
) d ON true
ON CONFLICT ("deploymentId", "templateItemId") DO NOTHING;

-- Deployments still waiting or under way get the copies a new one gets.
INSERT INTO "DeploymentChecklistItem" ("id", "deploymentId", "templateItemId", "phase", "position", "section",
  "label", "hint")
SELECT gen_random_uuid(), d."id", ti."id", ti."phase", ti."position", ti."section", ti."label", ti."hint"
FROM "Deployment" d
JOIN "ChecklistTemplate" ct ON ct."environmentId" = d."environmentId"
JOIN "ChecklistTemplateItem" ti ON ti."templateId" = ct."id" AND ti."phase" <> 'before'
WHERE d."kind" = 'promotion' AND d."status" IN ('queued', 'running', 'paused', 'rolling_back')
ON CONFLICT ("deploymentId", "templateItemId") DO NOTHING;

-- The release's copies are no gate any more: those carried over above, and those nobody
-- ticked, go. A ticked copy with no deployment to carry it to stays, as a record.
DELETE FROM "ChecklistItem" ci
USING "ChecklistTemplateItem" ti
WHERE ti."id" = ci."templateItemId" AND ti."phase" <> 'before'
  AND (ci."checkedAt" IS NULL OR EXISTS (
    SELECT 1 FROM "DeploymentChecklistItem" di
    JOIN "Deployment" d ON d."id" = di."deploymentId"
    WHERE di."templateItemId" = ci."templateItemId" AND d."releaseId" = ci."releaseId"
      AND d."environmentId" = ci."environmentId"));

-- CreateEnum
CREATE TYPE "DeployQueuePolicy" AS ENUM ('queue', 'replace', 'refuse');

-- CreateEnum
CREATE TYPE "DeploymentPhase" AS ENUM ('deploy', 'shift', 'analyse', 'await', 'rollback', 'done');

-- CreateEnum
CREATE TYPE "DeploymentKind" AS ENUM ('promotion', 'rollback');

-- CreateEnum
CREATE TYPE "HealthOutcome" AS ENUM ('success', 'failure', 'inconclusive');

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "healthState" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "inFlight" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "kind" "DeploymentKind" NOT NULL DEFAULT 'promotion',
ADD COLUMN     "pauseReason" TEXT,
ADD COLUMN     "phase" "DeploymentPhase" NOT NULL DEFAULT 'deploy',
ADD COLUMN     "plan" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "previousColor" "DeployColor",
ADD COLUMN     "previousReleaseId" UUID,
ADD COLUMN     "skipPauses" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stepEndsAt" TIMESTAMP(3),
ADD COLUMN     "stepStartedAt" TIMESTAMP(3),
ADD COLUMN     "stepVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Environment" ADD COLUMN     "deployQueuePolicy" "DeployQueuePolicy" NOT NULL DEFAULT 'queue',
ADD COLUMN     "healthChecks" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "DeploymentStep" (
    "id" BIGSERIAL NOT NULL,
    "deploymentId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "trafficPercent" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "providerRef" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DeploymentStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthMeasurement" (
    "id" BIGSERIAL NOT NULL,
    "deploymentId" UUID NOT NULL,
    "step" INTEGER NOT NULL,
    "check" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "outcome" "HealthOutcome" NOT NULL,
    "message" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HealthMeasurement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookReceipt" (
    "deploymentId" UUID NOT NULL,
    "webhookId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookReceipt_pkey" PRIMARY KEY ("deploymentId","webhookId")
);

-- CreateTable
CREATE TABLE "EnvironmentHold" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "releaseId" UUID NOT NULL,
    "deploymentId" UUID,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,

    CONSTRAINT "EnvironmentHold_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentStep_deploymentId_index_action_key" ON "DeploymentStep"("deploymentId", "index", "action");

-- CreateIndex
CREATE INDEX "HealthMeasurement_deploymentId_at_idx" ON "HealthMeasurement"("deploymentId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "EnvironmentHold_applicationId_environmentId_key" ON "EnvironmentHold"("applicationId", "environmentId");

-- AddForeignKey
ALTER TABLE "DeploymentStep" ADD CONSTRAINT "DeploymentStep_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthMeasurement" ADD CONSTRAINT "HealthMeasurement_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookReceipt" ADD CONSTRAINT "WebhookReceipt_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentHold" ADD CONSTRAINT "EnvironmentHold_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentHold" ADD CONSTRAINT "EnvironmentHold_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentHold" ADD CONSTRAINT "EnvironmentHold_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentHold" ADD CONSTRAINT "EnvironmentHold_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- deployments that ended before rollouts were driven step by step have nothing left to do
UPDATE "Deployment" SET "phase" = 'done' WHERE "status" IN ('succeeded', 'failed', 'rolled_back', 'cancelled');

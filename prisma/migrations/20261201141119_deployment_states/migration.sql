-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "DeploymentStatus" ADD VALUE 'paused';
ALTER TYPE "DeploymentStatus" ADD VALUE 'rolling_back';

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "workerId" TEXT;

-- Until now the worker wrote its own identity into "providerRef". It has a column of its own now,
-- and "providerRef" keeps the provider's id (workflow run, webhook delivery).
UPDATE "Deployment" SET "workerId" = "providerRef", "providerRef" = NULL
WHERE "startedAt" IS NOT NULL AND "providerRef" ~ '^[^:/\s]+:[0-9]+$';

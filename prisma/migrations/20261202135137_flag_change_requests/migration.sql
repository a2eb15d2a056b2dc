/*
  Warnings:

  - A unique constraint covering the columns `[changeRequestId]` on the table `ScheduledFlagChange` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateEnum
CREATE TYPE "FlagChangeStatus" AS ENUM ('pending', 'scheduled', 'applied', 'rejected', 'stale', 'withdrawn');

-- CreateEnum
CREATE TYPE "FlagChangeDecisionKind" AS ENUM ('approve', 'reject');

-- AlterEnum
ALTER TYPE "Permission" ADD VALUE 'flag.manage';

-- AlterTable
ALTER TABLE "Environment" ADD COLUMN     "flagChangeApprovals" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "FeatureFlag" ADD COLUMN     "owner" TEXT;

-- AlterTable
ALTER TABLE "ScheduledFlagChange" ADD COLUMN     "base" JSONB,
ADD COLUMN     "changeRequestId" UUID,
ADD COLUMN     "failure" TEXT,
ADD COLUMN     "rules" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "FlagChangeRequest" (
    "id" UUID NOT NULL,
    "flagId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "rolloutPercent" INTEGER,
    "rules" JSONB NOT NULL DEFAULT '[]',
    "reason" TEXT NOT NULL,
    "base" JSONB,
    "requiredApprovals" INTEGER NOT NULL,
    "applyAt" TIMESTAMP(3),
    "status" "FlagChangeStatus" NOT NULL DEFAULT 'pending',
    "authorId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "outcome" TEXT,

    CONSTRAINT "FlagChangeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlagChangeDecision" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "decision" "FlagChangeDecisionKind" NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlagChangeDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlagEvaluationSeen" (
    "flagId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "lastEvaluatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlagEvaluationSeen_pkey" PRIMARY KEY ("flagId","environmentId")
);

-- CreateIndex
CREATE INDEX "FlagChangeRequest_environmentId_status_idx" ON "FlagChangeRequest"("environmentId", "status");

-- CreateIndex
CREATE INDEX "FlagChangeRequest_flagId_createdAt_idx" ON "FlagChangeRequest"("flagId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlagChangeDecision_requestId_userId_key" ON "FlagChangeDecision"("requestId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledFlagChange_changeRequestId_key" ON "ScheduledFlagChange"("changeRequestId");

-- AddForeignKey
ALTER TABLE "ScheduledFlagChange" ADD CONSTRAINT "ScheduledFlagChange_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "FlagChangeRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagChangeRequest" ADD CONSTRAINT "FlagChangeRequest_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "FeatureFlag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagChangeRequest" ADD CONSTRAINT "FlagChangeRequest_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagChangeRequest" ADD CONSTRAINT "FlagChangeRequest_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagChangeDecision" ADD CONSTRAINT "FlagChangeDecision_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "FlagChangeRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagChangeDecision" ADD CONSTRAINT "FlagChangeDecision_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagEvaluationSeen" ADD CONSTRAINT "FlagEvaluationSeen_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "FeatureFlag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagEvaluationSeen" ADD CONSTRAINT "FlagEvaluationSeen_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Production asks for four eyes on flag changes by default: every protected environment now
-- needs one approval from someone other than the change's author.
UPDATE "Environment" SET "flagChangeApprovals" = 1 WHERE "protected" = true;

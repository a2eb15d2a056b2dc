-- CreateTable
CREATE TABLE "MetricTarget" (
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MetricTarget_pkey" PRIMARY KEY ("metric")
);

-- CreateIndex
CREATE INDEX "Deployment_environmentId_finishedAt_idx" ON "Deployment"("environmentId", "finishedAt");

-- CreateIndex
CREATE INDEX "Deployment_rollbackOfId_idx" ON "Deployment"("rollbackOfId");

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "heartbeatAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Deployment_status_queuedAt_idx" ON "Deployment"("status", "queuedAt");

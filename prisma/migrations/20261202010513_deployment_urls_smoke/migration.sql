-- AlterEnum
ALTER TYPE "DeploymentPhase" ADD VALUE 'smoke';

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "previewUrl" TEXT,
ADD COLUMN     "serviceUrl" TEXT;

-- CreateEnum
CREATE TYPE "ChecklistTiming" AS ENUM ('before_entry', 'before_exit');

-- AlterTable
ALTER TABLE "ChecklistTemplate" ADD COLUMN     "timing" "ChecklistTiming" NOT NULL DEFAULT 'before_entry';

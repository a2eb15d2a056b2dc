-- AlterTable
ALTER TABLE "FeatureFlag" ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "FlagState" ADD COLUMN     "rules" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "SdkKey" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "SdkKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlagServeVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "FlagServeVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SdkKey_keyHash_key" ON "SdkKey"("keyHash");

-- CreateIndex
CREATE INDEX "SdkKey_environmentId_idx" ON "SdkKey"("environmentId");

-- AddForeignKey
ALTER TABLE "SdkKey" ADD CONSTRAINT "SdkKey_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SdkKey" ADD CONSTRAINT "SdkKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The flag evaluation service (lib/serve) serves a snapshot from memory and reloads it when this
-- version moves. Statement-level triggers bump it in the writer's transaction, for every write
-- path (the app, a script, psql), and notify listeners at commit.
INSERT INTO "FlagServeVersion" ("id", "version") VALUES (1, 1);

CREATE FUNCTION greenlight_bump_flag_serve_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  next_version BIGINT;
BEGIN
  -- an upsert: the row survives tests that empty every table
  INSERT INTO "FlagServeVersion" ("id", "version") VALUES (1, 1)
  ON CONFLICT ("id") DO UPDATE SET "version" = "FlagServeVersion"."version" + 1
  RETURNING "version" INTO next_version;
  PERFORM pg_notify('greenlight_flags', next_version::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "FeatureFlag_bump_flag_serve_version"
AFTER INSERT OR UPDATE OR DELETE ON "FeatureFlag"
FOR EACH STATEMENT EXECUTE FUNCTION greenlight_bump_flag_serve_version();

CREATE TRIGGER "FlagState_bump_flag_serve_version"
AFTER INSERT OR UPDATE OR DELETE ON "FlagState"
FOR EACH STATEMENT EXECUTE FUNCTION greenlight_bump_flag_serve_version();

CREATE TRIGGER "SdkKey_bump_flag_serve_version"
AFTER INSERT OR UPDATE OR DELETE ON "SdkKey"
FOR EACH STATEMENT EXECUTE FUNCTION greenlight_bump_flag_serve_version();

CREATE TRIGGER "Environment_bump_flag_serve_version"
AFTER INSERT OR UPDATE OF "key" OR DELETE ON "Environment"
FOR EACH STATEMENT EXECUTE FUNCTION greenlight_bump_flag_serve_version();

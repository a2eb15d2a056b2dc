-- Whoever may create releases somewhere may also report CI checks there (release.check), and
-- whoever may edit the access matrix may also manage notifications (notification.manage). A
-- migration of its own: PostgreSQL uses a new enum value only after the transaction that added
-- it has committed.
UPDATE "EnvironmentPermission"
SET "permissions" = array_append("permissions", 'release.check')
WHERE 'release.create' = ANY("permissions") AND NOT ('release.check' = ANY("permissions"));

UPDATE "Role"
SET "globalPermissions" = array_append("globalPermissions", 'notification.manage')
WHERE 'matrix.edit' = ANY("globalPermissions") AND NOT ('notification.manage' = ANY("globalPermissions"));

-- an API token that may create releases may report checks in the same environments
UPDATE "ApiToken"
SET "permissions" = array_append("permissions", 'release.check')
WHERE 'release.create' = ANY("permissions") AND NOT ('release.check' = ANY("permissions"));

-- Whoever may edit the access matrix may also create and archive flags (flag.manage). A
-- migration of its own: PostgreSQL uses a new enum value only after the transaction that added
-- it has committed.
UPDATE "Role"
SET "globalPermissions" = array_append("globalPermissions", 'flag.manage')
WHERE 'matrix.edit' = ANY("globalPermissions") AND NOT ('flag.manage' = ANY("globalPermissions"));

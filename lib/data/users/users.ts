// Users and roles, for holders of user.manage: one file per verb; this is their public surface.
// Every change is audited in its own transaction.
export { MIN_PASSWORD_LENGTH, ROLE_KEY_PATTERN, type RoleRef, type RoleSummary, type UserSummary } from "./shared";
export { listRoles, listUsers } from "./list";
export { createUser } from "./create";
export { updateUserRoles } from "./roles";
export { deactivateUser, reactivateUser } from "./status";
export { resetUserPassword } from "./password";
export { createRole } from "./create-role";
export { resetSecondFactor } from "./second-factor";

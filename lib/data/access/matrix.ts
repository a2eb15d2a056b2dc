// The role × environment access matrix: one file per verb; this is its public surface.
export {
  getAccessMatrix,
  MATRIX_ACTIONS,
  type AccessMatrix,
  type MatrixCell,
  type MatrixChange,
  type MatrixEnvironment,
  type MatrixRole,
} from "./read";
export { updateMatrixCell, type MatrixCellInput } from "./cell-update";
export { updateRoleGlobalPermissions, type RoleGlobalInput } from "./global-update";

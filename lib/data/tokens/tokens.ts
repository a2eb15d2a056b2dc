// API tokens for machines: one file per verb; this is their public surface.
export {
  TOKEN_PERMISSIONS,
  TOKEN_PREFIX,
  tokenStatus,
  type CreatedToken,
  type TokenEnvironment,
  type TokenList,
  type TokenStatus,
  type TokenSummary,
} from "./shared";
export { listTokens } from "./list";
export { createToken } from "./create";
export { revokeToken } from "./revoke";

// The pipeline's public surface: what pages and components use.
export * from "./summaries";
export { getPipelineOverview, readApplications, readCells, readEnvironments, readPipeline } from "./overview";
export {
  toDeploymentSummary,
  deploymentColumns,
  type DeploymentRow,
  type DeploymentSummary,
} from "../deployments/summary";

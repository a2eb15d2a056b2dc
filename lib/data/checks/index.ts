// CI checks on releases: reporting one (release.check.report) and listing them
// (release.check.list). One file per verb; this is their public surface.
export { reportCheck, checkReportInput, type CheckReportResult } from "./report";
export { listChecks, type CheckList, type CheckListItem } from "./list";
export { checkReportBody, type CheckReportBody } from "./input";
export type { CheckView } from "./view";

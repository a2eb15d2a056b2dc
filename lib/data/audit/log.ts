// Reading the audit trail: the public surface of lib/data/audit (pages, the CSV route, tests).
export { auditFilterOptions } from "./filter-options";
export { AUDIT_CSV_MAX_ROWS, csvField, csvLine, exportAuditEventsCsv, type AuditCsv } from "./export";
export { AUDIT_PAGE_SIZE, listAuditEvents } from "./list";
export type * from "./types";
export type { AuditFilterInput } from "./scope";

// Every action the audit trail records, with how it reads: a short label for lists and
// filters, and a sentence for the event ("Ana Admin promoted storefront 2.3.0 to Production").
// Pure: lib/data writes the actions and reads the events back through these.
// audit-actions.test.ts checks that every action the code writes is listed here.

import {
  capitalized,
  changes,
  count,
  freezeWhen,
  gateChecklist,
  level,
  list,
  note,
  permissionChanges,
  person,
  record,
  release,
  roles,
  signInMethod,
  text,
  type Json,
} from "./audit-words";

export { gateChecklist };

export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in.failed",
  "auth.sign_in.throttled",
  "auth.sign_out",
  "authz.denied",
  "audit.export",
  "user.create",
  "user.create.sso",
  "user.deactivate",
  "user.reactivate",
  "user.password.reset",
  "user.roles.update",
  "role.create",
  "matrix.cell.update",
  "matrix.role.global.update",
  "token.create",
  "token.revoke",
  "environment.update",
  "checklist.template.update",
  "checklist.item.tick",
  "checklist.item.untick",
  "freeze.create",
  "freeze.delete",
  "freeze.override",
  "flag.state.update",
  "release.create",
  "release.approve",
  "release.reject",
  "release.decision.withdraw",
  "deployment.promote",
  "deployment.auto_promote",
  "deployment.start",
  "deployment.succeed",
  "deployment.fail",
  "preset.load",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The first word of an action ("deployment"): the filter offers "any deployment event". */
export type AuditActionGroup = AuditAction extends `${infer Group}.${string}` ? Group : never;

export function isAuditAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

/**
 * Operations whose success is recorded under other actions than their name (a decision is an
 * approval or a rejection), or not at all (reads). Every other operation name is an action.
 */
export const OPERATIONS_RECORDED_OTHERWISE: Record<string, readonly AuditAction[]> = {
  "approval.decide": ["release.approve", "release.reject"],
  "approval.withdraw": ["release.decision.withdraw"],
  "checklist.item.tick": ["checklist.item.tick", "checklist.item.untick"],
  "user.list": [],
  "role.list": [],
  "token.list": [],
  // reads record nothing when they succeed (a refusal is recorded as authz.denied)
  "pipeline.overview": [],
  "release.list": [],
  "release.read": [],
  "release.form.read": [],
  "environment.list": [],
  "environment.read": [],
  "environment.settings.view": [],
  "promotion.read": [],
  "deployment.log.read": [],
  "work.pending": [],
  "matrix.read": [],
  "live.stamp": [],
  "audit.list": [],
  "audit.filters": [],
};

// ─── how they read ───────────────────────────────────────────────────────────────────────────

/** What the sentences are made from: one stored event, its environment by name. */
export interface AuditEventFacts {
  action: string;
  actorLabel: string;
  actorKind: "user" | "token" | "system";
  /** the name of the environment the event happened in */
  environment: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

interface Event {
  /** who acted, ready to start a sentence: "Ana Admin", "Token ci-main", "Greenlight" */
  who: string;
  /** " in Production", or "" */
  where: string;
  environment: string | null;
  entityId: string | null;
  before: Json;
  after: Json;
}

interface Definition {
  label: string;
  sentence: (e: Event) => string;
}

const DEFINITIONS: Record<AuditAction, Definition> = {
  "auth.sign_in": {
    label: "Sign-in",
    sentence: (e) => `${e.who} signed in with ${signInMethod(e.after.method)}`,
  },
  "auth.sign_in.failed": {
    label: "Failed sign-in",
    sentence: (e) => `Sign-in as ${text(e.after.email)} refused: ${text(e.after.reason ?? "refused")}`,
  },
  "auth.sign_in.throttled": {
    label: "Sign-in locked out",
    sentence: (e) => `Sign-in as ${text(e.after.email)} locked out after ${text(e.after.failures)} failed attempts`,
  },
  "auth.sign_out": { label: "Sign-out", sentence: (e) => `${e.who} signed out` },
  "authz.denied": {
    label: "Access denied",
    sentence: (e) => {
      const environment = e.after.environment ? ` in ${text(e.after.environment)}` : e.where;
      return `${e.who} tried to ${attemptOf(e.after.attempted)} and was refused: lacked ${text(e.after.permission)}${environment}`;
    },
  },
  "audit.export": {
    label: "Audit log exported",
    sentence: (e) => {
      const { rows, truncated, ...filters } = e.after;
      const used = Object.entries(filters).map(([k, v]) => `${k} ${text(v)}`);
      return (
        `${e.who} exported ${count(rows, "audit event")}${truncated === true ? " (the newest only)" : ""}, ` +
        (used.length ? `filtered by ${used.join(", ")}` : "unfiltered")
      );
    },
  },
  "user.create": {
    label: "User created",
    sentence: (e) => `${e.who} added ${person(e.after)} with ${roles(e.after.roles)}`,
  },
  "user.create.sso": {
    label: "User created by single sign-on",
    sentence: (e) =>
      `${e.who} signed in for the first time through ${signInMethod(e.after.method)} (${text(e.after.email)}), ` +
      `with ${roles(e.after.mappedRoles)}`,
  },
  "user.deactivate": {
    label: "User deactivated",
    sentence: (e) => `${e.who} deactivated a user account`,
  },
  "user.reactivate": { label: "User reactivated", sentence: (e) => `${e.who} reactivated a user account` },
  "user.password.reset": {
    label: "Password reset",
    sentence: (e) => `${e.who} set a new password for ${text(e.after.email)}`,
  },
  "user.roles.update": {
    label: "User's roles changed",
    sentence: (e) => `${e.who} changed a user's roles from ${list(e.before.roles)} to ${list(e.after.roles)}`,
  },
  "role.create": {
    label: "Role created",
    sentence: (e) => `${e.who} created the role ${text(e.after.name)} (${text(e.after.key)})`,
  },
  "matrix.cell.update": {
    label: "Access matrix cell changed",
    sentence: (e) => {
      const role = record(e.after.role).name ?? record(e.before.role).name;
      const environment = record(e.after.environment).name ?? e.environment;
      return (
        `${e.who} changed what ${role ? text(role) : "a role"} may do${environment ? ` in ${text(environment)}` : ""}: ` +
        `${level(e.before.level)} → ${level(e.after.level)}${permissionChanges(e.before.permissions, e.after.permissions)}`
      );
    },
  },
  "matrix.role.global.update": {
    label: "Role's global permissions changed",
    sentence: (e) => {
      const role = record(e.after.role).name ?? record(e.before.role).name;
      return `${e.who} changed the global permissions of ${role ? text(role) : "a role"}${permissionChanges(e.before.permissions, e.after.permissions) || ": no change"}`;
    },
  },
  "token.create": {
    label: "API token created",
    sentence: (e) => {
      const environments = Array.isArray(e.after.environments) && e.after.environments.length;
      const expires = typeof e.after.expiresAt === "string" ? `, expires ${e.after.expiresAt.slice(0, 10)}` : "";
      return (
        `${e.who} created the API token ${text(e.after.name)} with ${list(e.after.permissions)}` +
        `${environments ? ` in ${list(e.after.environments)}` : ""}${expires}`
      );
    },
  },
  "token.revoke": {
    label: "API token revoked",
    sentence: (e) => `${e.who} revoked the API token ${text(e.after.name ?? e.before.name)}`,
  },
  "environment.update": {
    label: "Environment settings changed",
    sentence: (e) =>
      `${e.who} changed the settings of ${text(e.after.name ?? e.environment)}: ${changes(e.before, e.after)}`,
  },
  "checklist.template.update": {
    label: "Checklist changed",
    sentence: (e) => {
      const items = (value: unknown) => (Array.isArray(record(value).items) ? (record(value).items as unknown[]) : []);
      return (
        `${e.who} changed the checklist${e.where}: ${count(items(e.after).length, "item")}` +
        (Object.keys(e.before).length ? ` (was ${items(e.before).length})` : "")
      );
    },
  },
  "checklist.item.tick": {
    label: "Checklist item ticked",
    sentence: (e) => `${e.who} ticked “${text(e.after.label)}”${e.where}${note(e.after.note)}`,
  },
  "checklist.item.untick": {
    label: "Checklist item unticked",
    sentence: (e) => `${e.who} unticked “${text(e.after.label)}”${e.where}`,
  },
  "freeze.create": {
    label: "Freeze window added",
    sentence: (e) => `${e.who} added the freeze window “${text(e.after.reason)}”${e.where}: ${freezeWhen(e.after)}`,
  },
  "freeze.delete": {
    label: "Freeze window deleted",
    sentence: (e) => `${e.who} deleted the freeze window “${text(e.before.reason)}”${e.where}`,
  },
  "freeze.override": {
    label: "Freeze overridden",
    sentence: (e) =>
      `${e.who} promoted ${text(e.after.version)} through a freeze${e.where}: “${text(e.after.reason)}” (${text(e.after.freeze)})`,
  },
  "flag.state.update": {
    label: "Flag changed",
    sentence: (e) => {
      const flag = e.entityId ?? "a flag";
      const state = (s: Json) =>
        s.enabled === true ? `on${typeof s.rolloutPercent === "number" ? ` for ${s.rolloutPercent}%` : ""}` : "off";
      const was = Object.keys(e.before).length ? ` (was ${state(e.before)})` : "";
      return `${e.who} turned ${flag} ${state(e.after)}${e.where}${was}`;
    },
  },
  "release.create": {
    label: "Release created",
    sentence: (e) => `${e.who} created ${release(e.after)}${e.after.title ? `: ${text(e.after.title)}` : ""}`,
  },
  "release.approve": {
    label: "Release approved",
    sentence: (e) => `${e.who} approved the release${e.where}${note(e.after.comment)}`,
  },
  "release.reject": {
    label: "Release rejected",
    sentence: (e) => `${e.who} rejected the release${e.where}${note(e.after.comment)}`,
  },
  "release.decision.withdraw": {
    label: "Decision withdrawn",
    sentence: (e) => `${e.who} withdrew their ${e.before.decision === "rejected" ? "rejection" : "approval"}${e.where}`,
  },
  "deployment.promote": {
    label: "Release promoted",
    sentence: (e) =>
      `${e.who} promoted ${release(e.after)} to ${text(e.after.environment ?? e.environment)}` +
      `${e.after.overrideReason ? " through a freeze" : ""}.${gates(e.after.gates)}`,
  },
  "deployment.auto_promote": {
    label: "Promoted automatically",
    sentence: (e) =>
      `${e.who} promoted ${release(e.after)} to ${text(e.after.environment ?? e.environment)} automatically, ` +
      `every gate passing.${gates(e.after.gates)}`,
  },
  "deployment.start": {
    label: "Deployment started",
    sentence: (e) => `Deployment${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)} started`,
  },
  "deployment.succeed": {
    label: "Deployment succeeded",
    sentence: (e) => `Deployment${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)} succeeded`,
  },
  "deployment.fail": {
    label: "Deployment failed",
    sentence: (e) =>
      `Deployment${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)} failed` +
      (e.after.reason ? `: ${text(e.after.reason)}` : ""),
  },
  "preset.load": {
    label: "Preset loaded",
    sentence: (e) =>
      typeof e.after.environments === "number"
        ? `${e.who} loaded the preset “${text(e.after.title ?? e.after.preset)}”: ` +
          `${count(e.after.environments, "environment")}, ${count(e.after.roles, "role")}, ${count(e.after.users, "user")}`
        : `${e.who} loaded the preset “${text(e.after.title ?? e.after.preset)}”`,
  },
};

const GROUP_LABELS: Record<AuditActionGroup, string> = {
  auth: "Any sign-in or sign-out",
  authz: "Any refusal",
  audit: "Any audit log export",
  user: "Any user change",
  role: "Any role change",
  matrix: "Any access matrix change",
  token: "Any API token change",
  environment: "Any environment change",
  checklist: "Any checklist change",
  freeze: "Any freeze change",
  flag: "Any flag change",
  release: "Any release change",
  deployment: "Any deployment",
  preset: "Any preset load",
};

/** What an operation refused by authz.denied was about to do, after "tried to". */
export const ATTEMPTS: Record<string, string> = {
  "audit.list": "read the audit log",
  "audit.filters": "see the audit log's filters",
  "pipeline.overview": "see the pipeline",
  "release.list": "list the releases",
  "release.read": "open a release",
  "release.form.read": "open the new-release form",
  "environment.list": "list the environments",
  "environment.read": "open an environment",
  "environment.settings.view": "open an environment's settings",
  "promotion.read": "see a release's next promotion",
  "deployment.log.read": "read a deployment's log",
  "work.pending": "see what waits for them",
  "matrix.read": "see the access matrix",
  "live.stamp": "follow live changes",
  "audit.export": "export the audit log",
  "user.list": "list the users",
  "role.list": "list the roles",
  "user.create": "add a user",
  "user.roles.update": "change a user's roles",
  "user.deactivate": "deactivate a user",
  "user.reactivate": "reactivate a user",
  "user.password.reset": "set a user's password",
  "role.create": "create a role",
  "matrix.cell.update": "change the access matrix",
  "matrix.role.global.update": "change a role's global permissions",
  "token.list": "list the API tokens",
  "token.create": "create an API token",
  "token.revoke": "revoke an API token",
  "environment.update": "change an environment's settings",
  "checklist.template.update": "change a checklist",
  "checklist.item.tick": "tick a checklist item",
  "freeze.create": "add a freeze window",
  "freeze.delete": "delete a freeze window",
  "flag.state.update": "change a flag",
  "release.create": "create a release",
  "approval.decide": "approve or reject a release",
  "approval.withdraw": "withdraw a decision",
  "deployment.promote": "promote a release",
};

/** "Release promoted" for deployment.promote, "Any deployment" for the group "deployment.". */
export function auditActionLabel(action: string): string {
  if (isAuditAction(action)) return DEFINITIONS[action].label;
  if (action.endsWith(".")) {
    const group = action.slice(0, -1);
    return (GROUP_LABELS as Record<string, string>)[group] ?? `Any ${group} event`;
  }
  // recorded before this list knew it: its words
  return capitalized(action.replace(/[._]+/g, " ").trim());
}

const SENTENCE_MAX = 300;

/** The event as one sentence, who first; an action this list does not know reads as its changes. */
export function auditSentence(facts: AuditEventFacts): string {
  const event: Event = {
    who: facts.actorKind === "system" ? "Greenlight" : facts.actorLabel,
    where: facts.environment ? ` in ${facts.environment}` : "",
    environment: facts.environment,
    entityId: facts.entityId,
    before: record(facts.before),
    after: record(facts.after),
  };
  const sentence = isAuditAction(facts.action)
    ? DEFINITIONS[facts.action].sentence(event)
    : changes(event.before, event.after, facts.before !== null && facts.before !== undefined);
  const whole = capitalized(sentence);
  return whole.length > SENTENCE_MAX ? `${whole.slice(0, SENTENCE_MAX - 1)}…` : whole;
}

// ─── pieces that know the event ─────────────────────────────────────────────────────────────

function to(e: Event): string {
  return e.environment ? ` to ${e.environment}` : "";
}

/** " Gates: Previous stage ✓, …" after a sentence that ends with its full stop; "" without gates. */
function gates(value: unknown): string {
  const checklist = gateChecklist(value);
  return checklist ? ` Gates: ${checklist}` : "";
}

function attemptOf(value: unknown): string {
  return typeof value === "string" ? (ATTEMPTS[value] ?? `run ${value}`) : "do something";
}

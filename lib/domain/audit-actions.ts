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
  "auth.reauthenticate",
  "auth.reauthenticate.failed",
  "auth.second_factor.enrol",
  "auth.second_factor.verify",
  "auth.second_factor.failed",
  "authz.denied",
  "audit.export",
  "user.create",
  "user.create.sso",
  "user.deactivate",
  "user.reactivate",
  "user.password.reset",
  "user.roles.update",
  "user.second_factor.reset",
  "role.create",
  "matrix.cell.update",
  "matrix.role.global.update",
  "token.create",
  "token.revoke",
  "sdk_key.create",
  "sdk_key.revoke",
  "environment.update",
  "environment.rollout.update",
  "deploy_target.update",
  "deploy_target.delete",
  "deploy_target.test",
  "checklist.template.update",
  "checklist.item.tick",
  "checklist.item.untick",
  "freeze.create",
  "freeze.delete",
  "freeze.override",
  "flag.state.update",
  "flag.change.request",
  "flag.change.approve",
  "flag.change.reject",
  "flag.change.edit",
  "flag.change.withdraw",
  "flag.change.stale",
  "flag.change.schedule",
  "flag.schedule.cancel",
  "flag.schedule.fail",
  "flag.create",
  "flag.archive",
  "flag.restore",
  "release.create",
  "release.check.report",
  "release.approve",
  "release.reject",
  "release.decision.withdraw",
  "deployment.promote",
  "deployment.auto_promote",
  "deployment.start",
  "deployment.succeed",
  "deployment.fail",
  "deployment.check",
  "deployment.step",
  "deployment.pause",
  "deployment.resume",
  "deployment.abort",
  "deployment.promote_now",
  "deployment.rollback",
  "deployment.rolled_back",
  "deployment.cancel",
  "deployment.report",
  "deployment.checklist.tick",
  "deployment.checklist.untick",
  "environment.hold",
  "environment.hold.release",
  "notification.read",
  "notification.preferences.update",
  "notification.mail.update",
  "notification.mail.test",
  "notification.channel.create",
  "notification.channel.update",
  "notification.channel.delete",
  "notification.delivery.resend",
  "notification.delivery.fail",
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
  "deployment.checklist.tick": ["deployment.checklist.tick", "deployment.checklist.untick"],
  "user.list": [],
  "role.list": [],
  "token.list": [],
  "sdk_key.list": [],
  "flag.grid": [],
  "flag.state.update": ["flag.state.update", "flag.change.request", "flag.change.schedule"],
  "flag.change.approve": ["flag.change.approve", "flag.state.update", "flag.change.stale", "flag.change.schedule"],
  "flag.change.list": [],
  "flag.schedule.list": [],
  "flag.detail": [],
  // reads record nothing when they succeed (a refusal is recorded as authz.denied)
  "pipeline.overview": [],
  "release.list": [],
  "release.read": [],
  "release.check.list": [],
  "release.form.read": [],
  "environment.list": [],
  "environment.read": [],
  "environment.compare": [],
  "metrics.read": [],
  "metrics.deployments": [],
  "environment.settings.view": [],
  "environment.rollout.view": [],
  "deploy_target.save": ["deploy_target.update"],
  "promotion.read": [],
  "promotion.handed_on.read": [],
  "deployment.log.read": [],
  "deployment.read": [],
  "deployment.stamp": [],
  "work.pending": [],
  "matrix.read": [],
  "live.stamp": [],
  "audit.list": [],
  "audit.filters": [],
  "notification.settings.read": [],
  "notification.delivery.list": [],
  "notification.channel.save": ["notification.channel.create", "notification.channel.update"],
  "notification.channel.global.save": ["notification.channel.create", "notification.channel.update"],
  "notification.channel.global.delete": ["notification.channel.delete"],
};

/** A flag's state as the trail stores it (lib/data/flags/state.ts readableState), in words. */
function flagState(s: Json): string {
  if (s.enabled !== true) return "off";
  const share = typeof s.rolloutPercent === "number" && s.rolloutPercent < 100 ? ` for ${s.rolloutPercent}%` : "";
  const rules = typeof s.rules === "string" && s.rules ? ` and for ${s.rules.split("\n").join("; ")}` : "";
  return `on${share}${rules}`;
}

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
  "auth.reauthenticate": {
    label: "Password confirmed",
    sentence: (e) => `${e.who} confirmed their password for a sensitive action`,
  },
  "auth.reauthenticate.failed": {
    label: "Password confirmation failed",
    sentence: (e) => `${e.who} entered a wrong password to confirm a sensitive action`,
  },
  "auth.second_factor.enrol": {
    label: "Second factor set up",
    sentence: (e) => `${e.who} set up an authenticator app as their second factor`,
  },
  "auth.second_factor.verify": {
    label: "Second factor passed",
    sentence: (e) =>
      `${e.who} passed their second factor${e.after.method === "recovery" ? " with a recovery code" : ""}`,
  },
  "auth.second_factor.failed": {
    label: "Second factor failed",
    sentence: (e) =>
      `${e.who} entered ${e.after.reason === "throttled" ? "a code after too many wrong ones" : e.after.reason === "none" ? "a code without an authenticator app set up" : "a wrong second-factor code"}`,
  },
  "authz.denied": {
    label: "Access denied",
    sentence: (e) => {
      const environment = e.after.environment ? ` in ${text(e.after.environment)}` : e.where;
      const why = e.after.reason ? text(e.after.reason) : `lacked ${text(e.after.permission)}${environment}`;
      return `${e.who} tried to ${attemptOf(e.after.attempted)} and was refused: ${why}`;
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
  "user.second_factor.reset": {
    label: "Second factor reset",
    sentence: (e) => `${e.who} reset the second factor of ${person(e.after)}`,
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
  "sdk_key.create": {
    label: "SDK key created",
    sentence: (e) => `${e.who} created the SDK key ${text(e.after.name)} (${text(e.after.prefix)}…)${e.where}`,
  },
  "sdk_key.revoke": {
    label: "SDK key revoked",
    sentence: (e) => `${e.who} revoked the SDK key ${text(e.after.name ?? e.before.name)}${e.where}`,
  },
  "environment.update": {
    label: "Environment settings changed",
    sentence: (e) =>
      `${e.who} changed the settings of ${text(e.after.name ?? e.environment)}: ${changes(e.before, e.after)}`,
  },
  "environment.rollout.update": {
    label: "Rollout settings changed",
    sentence: (e) => `${e.who} changed the rollout${e.where}: ${rolloutChanges(e.before, e.after)}`,
  },
  "deploy_target.update": {
    label: "Deploy target saved",
    sentence: (e) =>
      `${e.who} ${Object.keys(e.before).length ? "changed" : "set"} the deploy target of ${text(e.after.application)}${e.where}: ` +
      `${providerName(e.after.provider)}${e.after.secretEnvVar ? `, secret in ${text(e.after.secretEnvVar)}` : ""}, timeout ${text(e.after.timeoutSeconds)} s`,
  },
  "deploy_target.delete": {
    label: "Deploy target removed",
    sentence: (e) =>
      `${e.who} removed the deploy target of ${text(e.before.application)}${e.where} (${providerName(e.before.provider)}): promotions there fail until one is set`,
  },
  "deploy_target.test": {
    label: "Deploy target tested",
    sentence: (e) =>
      `${e.who} tested the connection of ${text(e.after.application)}'s deploy target${e.where}: ` +
      `${e.after.ok === true ? "reached" : "failed"} (${text(e.after.message)})`,
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
    sentence: (e) =>
      `${e.who} ticked “${text(e.after.label)}”${e.where}` +
      (typeof e.after.check === "string" ? ` as the check ${e.after.check} passed` : note(e.after.note)),
  },
  "checklist.item.untick": {
    label: "Checklist item unticked",
    sentence: (e) =>
      `${e.who} unticked “${text(e.after.label)}”${e.where}` +
      (typeof e.after.check === "string" ? ` as the check ${e.after.check} is ${text(e.after.status)}` : ""),
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
      const was = Object.keys(e.before).length ? ` (was ${flagState(e.before)})` : "";
      const via =
        typeof e.after.override === "string"
          ? `, overriding approval: “${text(e.after.override)}”`
          : typeof e.after.changeRequest === "string"
            ? typeof e.after.scheduledChange === "string"
              ? ", as scheduled by an approved change request"
              : ", as an approved change request asked"
            : typeof e.after.scheduledChange === "string"
              ? ", as scheduled"
              : "";
      return `${e.who} turned ${flag} ${flagState(e.after)}${e.where}${was}${via}`;
    },
  },
  "flag.change.request": {
    label: "Flag change requested",
    sentence: (e) =>
      `${e.who} asked to turn ${e.entityId ?? "a flag"} ${flagState(e.after)}${e.where} (now ${flagState(e.before)}): “${text(e.after.reason)}”${e.after.applyAt ? `, at ${text(e.after.applyAt)}` : ""}`,
  },
  "flag.change.approve": {
    label: "Flag change approved",
    sentence: (e) =>
      `${e.who} approved a change of ${e.entityId ?? "a flag"}${e.where} (${text(e.after.approvals)} of ${text(e.after.requiredApprovals)})${note(e.after.comment)}`,
  },
  "flag.change.reject": {
    label: "Flag change rejected",
    sentence: (e) => `${e.who} rejected a change of ${e.entityId ?? "a flag"}${e.where}${note(e.after.comment)}`,
  },
  "flag.change.edit": {
    label: "Flag change edited",
    sentence: (e) =>
      `${e.who} changed their request to turn ${e.entityId ?? "a flag"} ${flagState(e.after)}${e.where} (was ${flagState(e.before)})${Number(e.after.approvalsWithdrawn) > 0 ? `, withdrawing ${count(e.after.approvalsWithdrawn, "approval")}` : ""}`,
  },
  "flag.change.withdraw": {
    label: "Flag change withdrawn",
    sentence: (e) => `${e.who} withdrew their change request for ${e.entityId ?? "a flag"}${e.where}`,
  },
  "flag.change.stale": {
    label: "Flag change stale",
    sentence: (e) =>
      `A change request for ${e.entityId ?? "a flag"}${e.where} went stale: the flag was ${flagState(e.before)} when it was made and is ${flagState(e.after)} now`,
  },
  "flag.change.schedule": {
    label: "Flag change scheduled",
    sentence: (e) =>
      `${e.who} scheduled ${e.entityId ?? "a flag"} to turn ${flagState(e.after)}${e.where} at ${text(e.after.applyAt)}`,
  },
  "flag.schedule.cancel": {
    label: "Scheduled flag change cancelled",
    sentence: (e) => `${e.who} cancelled a scheduled change of ${e.entityId ?? "a flag"}${e.where}`,
  },
  "flag.schedule.fail": {
    label: "Scheduled flag change failed",
    sentence: (e) =>
      `A scheduled change of ${e.entityId ?? "a flag"}${e.where} did not apply: ${text(e.after.failure)}`,
  },
  "flag.create": {
    label: "Flag created",
    sentence: (e) =>
      `${e.who} created the flag ${text(e.entityId ?? e.after.key)} (“${text(e.after.name)}”, ${text(e.after.category)}), off everywhere`,
  },
  "flag.archive": {
    label: "Flag archived",
    sentence: (e) => `${e.who} archived the flag ${text(e.entityId)} (no longer served)${note(e.after.reason)}`,
  },
  "flag.restore": {
    label: "Flag restored",
    sentence: (e) => `${e.who} restored the archived flag ${text(e.entityId)} (served again)${note(e.after.reason)}`,
  },
  "release.create": {
    label: "Release created",
    sentence: (e) => `${e.who} created ${release(e.after)}${e.after.title ? `: ${text(e.after.title)}` : ""}`,
  },
  "release.check.report": {
    label: "Check reported",
    sentence: (e) => {
      const was =
        typeof e.before.status === "string" && e.before.status !== e.after.status
          ? ` (was ${text(e.before.status)})`
          : "";
      const scope = typeof e.after.environment === "string" ? ` for ${text(e.after.environment)}` : "";
      return `${e.who} reported the check ${text(e.after.name)} as ${text(e.after.status)}${was} on ${text(e.after.version ?? "a release")}${scope}`;
    },
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
  "deployment.step": {
    label: "Rollout step",
    sentence: (e) =>
      `Deployment${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)}: ${text(e.after.step)}` +
      (e.after.message ? ` (${text(e.after.message)})` : ""),
  },
  "deployment.pause": {
    label: "Rollout paused",
    sentence: (e) =>
      `${e.who} paused the rollout${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)}` +
      (e.after.reason ? `: ${text(e.after.reason)}` : ""),
  },
  "deployment.resume": {
    label: "Rollout resumed",
    sentence: (e) => `${e.who} resumed the rollout${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)}`,
  },
  "deployment.abort": {
    label: "Rollout aborted",
    sentence: (e) =>
      `${e.who} aborted the rollout${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)}` +
      (e.after.reason ? `: ${text(e.after.reason)}` : ""),
  },
  "deployment.promote_now": {
    label: "Pauses skipped",
    sentence: (e) =>
      `${e.who} skipped the remaining pauses of ${e.after.version ? text(e.after.version) : "the rollout"}${to(e)}`,
  },
  "deployment.rollback": {
    label: "Rollback",
    sentence: (e) =>
      e.after.automatic
        ? `Rolling back ${e.after.version ? text(e.after.version) : "the deployment"}${to(e)} automatically: ${text(e.after.reason)}`
        : `${e.who} rolled back${e.where} to ${text(e.after.version)}: “${text(e.after.reason)}”`,
  },
  "deployment.rolled_back": {
    label: "Rolled back",
    sentence: (e) =>
      `Deployment${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)} rolled back` +
      (e.after.reason ? `: ${text(e.after.reason)}` : ""),
  },
  "deployment.cancel": {
    label: "Deployment cancelled",
    sentence: (e) =>
      `${e.who} cancelled the queued deployment${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)}` +
      (e.after.reason ? `: ${text(e.after.reason)}` : ""),
  },
  "deployment.checklist.tick": {
    label: "Deployment checklist item ticked",
    sentence: (e) =>
      `${e.who} ticked “${text(e.after.label)}” ${e.after.phase === "after" ? "after" : "during"} the deployment` +
      `${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)}${note(e.after.note)}`,
  },
  "deployment.checklist.untick": {
    label: "Deployment checklist item unticked",
    sentence: (e) =>
      `${e.who} unticked “${text(e.after.label)}” ${e.after.phase === "after" ? "after" : "during"} the deployment` +
      `${e.after.version ? ` of ${text(e.after.version)}` : ""}${to(e)}`,
  },
  "deployment.report": {
    label: "Receiver reported",
    sentence: (e) =>
      `The deploy receiver reported ${text(e.after.type)}${e.after.version ? ` for ${text(e.after.version)}` : ""}${to(e)}` +
      (e.after.message ? `: ${text(e.after.message)}` : ""),
  },
  "environment.hold": {
    label: "Version held",
    sentence: (e) =>
      `${text(e.after.application)} holds ${text(e.after.version)}${e.where} after a rollback: auto-promotion stops until the hold is released`,
  },
  "notification.read": {
    label: "Notifications read",
    sentence: (e) =>
      e.after.all === true
        ? `${e.who} marked all their notifications read`
        : `${e.who} marked ${count(e.after.count, "notification")} read`,
  },
  "notification.preferences.update": {
    label: "Notification choices changed",
    sentence: (e) =>
      `${e.who} changed which notifications reach them${e.after.summary ? `: ${text(e.after.summary)}` : ""}`,
  },
  "environment.hold.release": {
    label: "Hold released",
    sentence: (e) =>
      `${e.who} released the hold of ${text(e.before.application)} on ${text(e.before.version)}${e.where}` +
      (e.after.reason ? `: “${text(e.after.reason)}”` : ""),
  },
  "deployment.check": {
    label: "What runs checked",
    sentence: (e) =>
      `${e.who} asked what runs${e.where}: ` +
      (e.after.outcome === "unanswered"
        ? `no answer${e.after.reason ? ` (${text(e.after.reason)})` : ""}`
        : `${text(e.after.application)} reports ${text(e.after.reported)}` +
          (e.after.outcome === "recorded" ? ", recorded as what runs" : "")),
  },
  "notification.mail.update": {
    label: "Mail server changed",
    sentence: (e) =>
      `${e.who} set the mail server to ${text(e.after.host)}:${text(e.after.port)} (${text(e.after.security)}), ` +
      `from ${text(e.after.fromAddress)}${e.after.enabled === false ? ", email switched off" : ""}`,
  },
  "notification.mail.test": {
    label: "Test email sent",
    sentence: (e) =>
      `${e.who} sent a test email to ${text(e.after.to)}: ${e.after.ok === true ? "accepted" : "failed"} (${text(e.after.message)})`,
  },
  "notification.channel.create": {
    label: "Notification channel added",
    sentence: (e) =>
      `${e.who} added the ${text(e.after.format)} channel “${text(e.after.name)}”${e.where || " for every environment"}`,
  },
  "notification.channel.update": {
    label: "Notification channel changed",
    sentence: (e) => `${e.who} changed the channel “${text(e.after.name)}”${e.where}: ${changes(e.before, e.after)}`,
  },
  "notification.channel.delete": {
    label: "Notification channel removed",
    sentence: (e) => `${e.who} removed the channel “${text(e.before.name)}”${e.where}`,
  },
  "notification.delivery.resend": {
    label: "Notification sent again",
    sentence: (e) => `${e.who} sent “${text(e.after.event)}” to ${text(e.after.target)} again`,
  },
  "notification.delivery.fail": {
    label: "Notification not delivered",
    sentence: (e) =>
      `“${text(e.after.event)}” could not be delivered to ${text(e.after.target)} after ${count(e.after.attempts, "attempt")}: ${text(e.after.reason)}`,
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
  sdk_key: "Any SDK key change",
  environment: "Any environment change",
  deploy_target: "Any deploy target change or test",
  checklist: "Any checklist change",
  freeze: "Any freeze change",
  flag: "Any flag change",
  release: "Any release change",
  deployment: "Any deployment",
  notification: "Any notification change",
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
  "environment.compare": "compare two environments",
  "metrics.read": "read the delivery metrics",
  "metrics.deployments": "list the deployments behind a metric",
  "environment.settings.view": "open an environment's settings",
  "promotion.read": "see a release's next promotion",
  "promotion.handed_on.read": "see the checklists of a release's step they cannot see",
  "deployment.log.read": "read a deployment's log",
  "deployment.read": "see a deployment",
  "work.pending": "see what waits for them",
  "matrix.read": "see the access matrix",
  "live.stamp": "follow live changes",
  "audit.export": "export the audit log",
  "user.list": "list the users",
  "role.list": "list the roles",
  "user.create": "add a user",
  "user.roles.update": "change a user's roles",
  "user.deactivate": "deactivate a user",
  "user.second_factor.reset": "reset a person's second factor",
  "user.reactivate": "reactivate a user",
  "user.password.reset": "set a user's password",
  "role.create": "create a role",
  "matrix.cell.update": "change the access matrix",
  "matrix.role.global.update": "change a role's global permissions",
  "token.list": "list the API tokens",
  "token.create": "create an API token",
  "token.revoke": "revoke an API token",
  "sdk_key.list": "list an environment's SDK keys",
  "sdk_key.create": "create an SDK key",
  "sdk_key.revoke": "revoke an SDK key",
  "environment.update": "change an environment's settings",
  "environment.rollout.update": "change an environment's rollout",
  "environment.rollout.view": "see an environment's rollout",
  "deploy_target.save": "save a deploy target",
  "deploy_target.delete": "remove a deploy target",
  "deploy_target.test": "test a deploy target's connection",
  "checklist.template.update": "change a checklist",
  "checklist.item.tick": "tick a checklist item",
  "freeze.create": "add a freeze window",
  "freeze.delete": "delete a freeze window",
  "flag.state.update": "change a flag",
  "flag.grid": "see the flag grid",
  "flag.state.override": "apply a flag change without approval",
  "flag.change.approve": "approve a flag change",
  "flag.change.reject": "reject a flag change",
  "flag.change.edit": "change a flag change request",
  "flag.change.withdraw": "withdraw a flag change request",
  "flag.change.list": "see flag change requests",
  "flag.schedule.cancel": "cancel a scheduled flag change",
  "flag.schedule.list": "see scheduled flag changes",
  "flag.detail": "open a flag",
  "flag.create": "create a flag",
  "flag.archive": "archive a flag",
  "flag.restore": "restore an archived flag",
  "release.create": "create a release",
  "release.check.report": "report a check on a release",
  "release.check.list": "list a release's checks",
  "approval.decide": "approve or reject a release",
  "approval.withdraw": "withdraw a decision",
  "deployment.promote": "promote a release",
  "deployment.check": "check what runs",
  "deployment.stamp": "follow a deployment",
  "deployment.pause": "pause a rollout",
  "deployment.resume": "resume a rollout",
  "deployment.abort": "abort a rollout",
  "deployment.promote_now": "skip a rollout's pauses",
  "deployment.cancel": "cancel a queued deployment",
  "deployment.checklist.tick": "tick a deployment's checklist item",
  "deployment.rollback": "roll an environment back",
  "environment.hold.release": "release a hold",
  "notification.settings.read": "see the notification settings",
  "notification.mail.update": "change the mail server",
  "notification.mail.test": "send a test email",
  "notification.channel.save": "save a notification channel",
  "notification.channel.global.save": "save a notification channel for every environment",
  "notification.channel.delete": "remove a notification channel",
  "notification.channel.global.delete": "remove a notification channel for every environment",
  "notification.delivery.list": "see notification deliveries",
  "notification.delivery.resend": "send a notification again",
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

const PROVIDER_NAMES: Record<string, string> = {
  command: "a command",
  webhook: "a webhook",
  github_actions: "a GitHub Actions workflow",
};

function providerName(value: unknown): string {
  return typeof value === "string" ? (PROVIDER_NAMES[value] ?? text(value)) : "a provider";
}

/** "strategy: direct → canary; 2 health checks (was 0)": what changed, lists counted. */
function rolloutChanges(before: Json, after: Json): string {
  const parts: string[] = [];
  if (before.strategy !== after.strategy) parts.push(`strategy ${text(before.strategy)} → ${text(after.strategy)}`);
  if (before.queuePolicy !== after.queuePolicy)
    parts.push(`queue policy ${text(before.queuePolicy)} → ${text(after.queuePolicy)}`);
  const steps = (v: unknown) =>
    (Array.isArray(v) ? v : []).map((s) => `${text(record(s).percent)} %`).join(" → ") || "none";
  if (JSON.stringify(before.steps) !== JSON.stringify(after.steps))
    parts.push(`steps ${steps(before.steps)} → ${steps(after.steps)}`);
  const checks = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  if (JSON.stringify(before.healthChecks) !== JSON.stringify(after.healthChecks))
    parts.push(`${count(checks(after.healthChecks), "health check")} (was ${checks(before.healthChecks)})`);
  return parts.join("; ") || "no change";
}

function attemptOf(value: unknown): string {
  return typeof value === "string" ? (ATTEMPTS[value] ?? `run ${value}`) : "do something";
}

import { ADMIN_ROLE, type Preset } from "./types";

// Seed 000: MonEpice&Riz, an e-commerce shop (Appwrite, CinetPay payments), ADR-005
// "Three-Environment Setup". Its access matrix is the origin of Greenlight's named levels.

const ORG = "monepiceriz.example";

export const monepiceriz: Preset = {
  name: "000-monepiceriz",
  title: "MonEpice&Riz",
  description: "MonEpice&Riz e-commerce (seed 000): development → staging → production with the ADR-005 access matrix",
  environments: [
    {
      key: "development",
      name: "Development",
      description: "Feature development and first checks: full debugging, synthetic data, CinetPay sandbox",
      protected: false,
      color: "#16a34a",
      // the document's development domain is localhost:3000, i.e. each developer's machine: no shared URL
      url: null,
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      // "Trigger: every push to feature branches"
      autoPromote: true,
      rolloutStrategy: "direct",
      rolloutSteps: [],
      healthCheckPath: null,
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "staging",
      name: "Staging",
      description: "Production-like QA: real payment flows against the CinetPay sandbox, load and performance tests",
      protected: false,
      color: "#d97706",
      url: "https://staging.monepiceriz.ci",
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      // "Trigger: merge to main branch", deployed automatically once development is green
      autoPromote: true,
      rolloutStrategy: "blue_green",
      rolloutSteps: [{ percent: 100, pauseSeconds: 0 }],
      // the document does not name the endpoint; the Next.js API route is the natural place
      healthCheckPath: "/api/health",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "production",
      name: "Production",
      description: "Live shop with real CinetPay payments; operations team only, audit logging on",
      protected: true,
      color: "#dc2626",
      url: "https://monepiceriz.ci",
      requiredApprovals: 1,
      preventSelfApproval: true,
      // the document asks for "Multi-factor authentication" on production: a code at most 12 hours
      // old (one working day) for approving, promoting, rolling back, ticking, changing flags
      secondFactorMinutes: 720,
      soakMinutes: 0,
      // "Trigger: manual approval after staging validation"
      autoPromote: false,
      // "Blue-green with canary testing": deploy to the idle colour, then shift traffic in steps;
      // the document gives no percentages, these are a cautious default for a payments site
      rolloutStrategy: "blue_green",
      rolloutSteps: [
        { percent: 10, pauseSeconds: 600 },
        { percent: 50, pauseSeconds: 600 },
        { percent: 100, pauseSeconds: 0 },
      ],
      healthCheckPath: "/api/health",
      healthCheckFailureThreshold: 3,
      // silent on a number: 1% errors is far past "zero tolerance for production issues"
      errorRateThresholdPercent: 1,
    },
  ],
  roles: [
    ADMIN_ROLE,
    {
      key: "product_owner",
      name: "Product owner",
      description: "Validates features in staging and approves production releases",
      globalPermissions: [],
    },
    {
      key: "developer",
      name: "Developer",
      description: "Builds features; owns the development environment",
      globalPermissions: [],
    },
    {
      key: "qa",
      name: "QA engineer",
      description: "Runs manual QA and owns the staging environment",
      globalPermissions: [],
    },
    {
      key: "devops",
      name: "DevOps",
      description: "Runs the pipeline; deploys to production without administering it",
      globalPermissions: [],
    },
    {
      key: "operations",
      name: "Operations",
      description: "Owns production, its recovery and its monitoring",
      globalPermissions: [],
    },
    {
      key: "business_owner",
      name: "Business owner",
      description: "Follows where releases stand in staging and production",
      globalPermissions: [],
    },
  ],
  // ADR-005 "Environment Access Matrix", cell for cell; admin and product owner are Greenlight's additions
  matrix: {
    admin: { development: "full", staging: "full", production: "full" },
    // the ADR lists product owners among staging's users; production is "operations only", so
    // they get exactly what Greenlight needs from them there: to see it and approve
    product_owner: {
      development: "none",
      staging: { custom: ["environment.view", "audit.view", "checklist.tick"] },
      production: { custom: ["environment.view", "release.approve"] },
    },
    developer: { development: "full", staging: "read", production: "none" },
    qa: { development: "read", staging: "full", production: "none" },
    devops: { development: "full", staging: "full", production: "deploy" },
    operations: { development: "none", staging: "read", production: "full" },
    business_owner: { development: "none", staging: "view", production: "view" },
  },
  // The ADR has no written checklist; these restate its validation steps (manual QA, staging
  // migration checks, production backup before migrating) as items to tick.
  checklists: {
    staging: {
      name: "QA validation",
      // validated on the staging deployment, before production
      timing: "before_exit",
      items: [
        { label: "Integration tests passed", required: true },
        { label: "Checkout tested end to end with the CinetPay sandbox", required: true },
        { label: "Migration verified with production-like data", hint: "npm run db:verify:staging", required: false },
        { label: "No performance regression in staging monitoring", required: true },
        { label: "No open QA blockers", required: true },
      ],
    },
    production: {
      name: "Production release",
      items: [
        { label: "Production database backup taken", hint: "npm run db:backup:prod", required: true },
        { label: "Operations team on hand for the deploy", required: true },
        { label: "Rollback plan known (previous colour kept warm)", required: true },
      ],
    },
  },
  // the ADR manages configuration per environment but defines no feature flags
  flags: [],
  applications: [
    {
      key: "storefront",
      name: "MonEpice&Riz storefront",
      description: "The online shop: catalogue, basket, CinetPay checkout and Appwrite back office",
    },
  ],
  users: [
    { email: `ana.admin@${ORG}`, name: "Ana Ruiz", roles: ["admin"] },
    { email: `priya.product-owner@${ORG}`, name: "Priya Nair", roles: ["product_owner"] },
    { email: `diego.developer@${ORG}`, name: "Diego Santos", roles: ["developer"] },
    { email: `quentin.qa@${ORG}`, name: "Quentin Moreau", roles: ["qa"] },
    { email: `dana.devops@${ORG}`, name: "Dana Kim", roles: ["devops"] },
    { email: `omar.operations@${ORG}`, name: "Omar Haddad", roles: ["operations"] },
    { email: `beatrice.business-owner@${ORG}`, name: "Béatrice Koné", roles: ["business_owner"] },
  ],
  // "Developer Push → GitHub Actions → … → Deploy": one workflow; Greenlight passes the
  // environment (and version, step, traffic, colour) as inputs itself
  deployTargets: ["development", "staging", "production"].map((envKey) => ({
    appKey: "storefront",
    envKey,
    provider: "github_actions" as const,
    config: {
      owner: "monepiceriz",
      repo: "monepiceriz",
      workflow: "deploy.yml",
      ref: "main",
    },
    secretEnvVar: "MONEPICERIZ_GITHUB_TOKEN",
  })),
  // "Success Metrics": a success rate above 95 % is a change failure rate below 5 %; rollback
  // time below 10 minutes is the recovery target
  doraTargets: {
    source: "Seed 000, Success Metrics",
    leadTimeHours: 4,
    changeFailureRatePercent: 5,
    recoveryMinutes: 10,
  },
};

import { ADMIN_ROLE, type Preset, type PresetChecklist } from "./types";

// Seed 001: an "Environment Strategy" document that never names its organisation. We call the
// team Ledgerline (its examples revolve around a transactions table). Dev, staging and
// production; a release manager approves, a release engineer deploys, blue/green traffic shifts.

const ORG = "ledgerline.example";

/** "Testing in Staging": the checks QA works through before a release may leave staging. */
export const testingInStaging: PresetChecklist = {
  name: "Testing in Staging",
  // QA works through it while the release runs in staging; production waits for it
  timing: "before_exit",
  items: [
    { label: "Full test suite passes", required: true },
    { label: "Performance within SLA", required: true },
    { label: "Load test (1-5x expected traffic)", required: true },
    { label: "Chaos engineering (kill pods, latency injection)", required: true },
    // "(if applicable)": not every release migrates data, so it cannot block the others
    { label: "Data migration testing (if applicable)", required: false },
    { label: "QA manual testing (happy paths + edge cases)", required: true },
    { label: "Performance profiling", required: true },
    { label: "Security scanning results reviewed", required: true },
  ],
};

export const ledgerline: Preset = {
  name: "001-ledgerline",
  title: "Ledgerline",
  description:
    "Seed 001 (organisation unnamed, called Ledgerline here): dev → staging → production, blue/green 1% → 10% → 50% → 100%",
  environments: [
    {
      key: "development",
      name: "Dev",
      description: "Fast iteration: single-instance services, synthetic data, reset at will",
      protected: false,
      color: "#16a34a",
      url: null,
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      // "All developers can deploy": dev is a playground outside the main → staging → production flow
      autoPromote: false,
      rolloutStrategy: "direct",
      rolloutSteps: [],
      // "Basic health checks only"; the path is not given, /health is the common choice
      healthCheckPath: "/health",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "staging",
      name: "Staging",
      description:
        "Production-like QA and integration testing: anonymised weekly copy of production, error budgets tracked",
      protected: false,
      color: "#d97706",
      url: null,
      // "gated deployments" here means the CI gates (tests, CodeQL, SAST) before the release
      // reaches Greenlight; merging to main then deploys automatically
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      autoPromote: true,
      rolloutStrategy: "direct",
      rolloutSteps: [],
      healthCheckPath: "/health",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "production",
      name: "Production",
      description:
        "Real users, multi-AZ; planned, reviewed deploys by the release engineer after the release manager's approval",
      protected: true,
      color: "#dc2626",
      url: null,
      requiredApprovals: 1,
      preventSelfApproval: true,
      soakMinutes: 0,
      autoPromote: false,
      // "Blue/Green Deployments → Switch Traffic": 1% for 5 min, 10% for 10 min, 50% for 15 min, then all
      rolloutStrategy: "blue_green",
      rolloutSteps: [
        { percent: 1, pauseSeconds: 300 },
        { percent: 10, pauseSeconds: 600 },
        { percent: 50, pauseSeconds: 900 },
        { percent: 100, pauseSeconds: 0 },
      ],
      healthCheckPath: "/health",
      healthCheckFailureThreshold: 3,
      // the SLO is < 0.1% errors; rolling back at ten times that leaves room for noise
      errorRateThresholdPercent: 1,
    },
  ],
  roles: [
    ADMIN_ROLE,
    {
      key: "product_owner",
      name: "Product owner",
      description: "Tests features in staging and may approve production releases",
      globalPermissions: [],
    },
    {
      key: "release_manager",
      name: "Release manager",
      description: "Approves releases for production (the approval gate)",
      globalPermissions: [],
    },
    {
      key: "release_engineer",
      name: "Release engineer",
      description: "The only role that deploys to production",
      globalPermissions: [],
    },
    {
      key: "developer",
      name: "Developer",
      description: "Deploys freely to dev; reaches staging by merging to main",
      globalPermissions: [],
    },
    {
      key: "qa",
      name: "QA engineer",
      description: "Has full access to staging and works through its test list",
      globalPermissions: [],
    },
  ],
  // The document's "Access" sections, role by role; where it is silent, roles can at least see.
  matrix: {
    admin: { development: "full", staging: "full", production: "full" },
    product_owner: {
      development: "view",
      staging: { custom: ["environment.view", "checklist.tick"] },
      production: { custom: ["environment.view", "audit.view", "release.approve"] },
    },
    release_manager: {
      development: "view",
      staging: "read",
      production: { custom: ["environment.view", "audit.view", "release.approve", "checklist.tick"] },
    },
    release_engineer: {
      development: "read",
      staging: "deploy",
      production: {
        custom: [
          "environment.view",
          "audit.view",
          "deploy.trigger",
          "deploy.rollback",
          "checklist.tick",
          "flag.toggle",
        ],
      },
    },
    developer: { development: "full", staging: "read", production: "view" },
    qa: { development: "read", staging: "full", production: "view" },
  },
  checklists: {
    staging: testingInStaging,
    production: {
      name: "Deployment Approval Checklist",
      items: [
        { label: "All specs completed", required: true },
        { label: "All acceptance criteria verified", required: true },
        { label: "Code review approved (2 reviewers)", required: true },
        { label: "Security scan clean", required: true },
        { label: "Performance benchmarks met", required: true },
        { label: "Staging tests passed", required: true },
        { label: "Rollback plan documented", required: true },
        { label: "Stakeholders notified", required: true },
        { label: "On-call team ready", required: true },
        { label: "Change window approved", required: true },
      ],
    },
  },
  // the document keeps configuration in Key Vault per environment and defines no feature flags
  flags: [],
  applications: [
    {
      key: "platform",
      name: "Ledgerline platform",
      description: "The product's application, shipped as one scanned Docker image per tagged release",
    },
  ],
  users: [
    { email: `ana.admin@${ORG}`, name: "Ana Ruiz", roles: ["admin"] },
    { email: `priya.product-owner@${ORG}`, name: "Priya Nair", roles: ["product_owner"] },
    { email: `rita.release-manager@${ORG}`, name: "Rita Okafor", roles: ["release_manager"] },
    { email: `erik.release-engineer@${ORG}`, name: "Erik Lindqvist", roles: ["release_engineer"] },
    { email: `diego.developer@${ORG}`, name: "Diego Santos", roles: ["developer"] },
    { email: `quentin.qa@${ORG}`, name: "Quentin Moreau", roles: ["qa"] },
  ],
};

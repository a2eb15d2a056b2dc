import { ADMIN_ROLE, type Preset, type PresetChecklistItem, type PresetDeployTarget } from "./types";

// Seed 004: StudySphere, "Environment Promotion Strategy" on AKS. Development deploys on every
// push to main; QA (or a tech lead) approves testing; the product owner (or an engineering
// manager) approves production. Kubernetes rolling updates, no traffic shifting yet.

const ORG = "studysphere.example";
const STAGES = ["development", "testing", "production"] as const;
const APPS = ["web", "auth-service"] as const;

// "Post-Deployment (All Environments)" closes each environment's checklist. It is ticked on each
// deployment once it has finished, so it cannot gate that promotion: not required.
const postDeployment: PresetChecklistItem[] = [
  "Health checks green",
  "Pods running and ready",
  "No error spikes in logs",
  "Metrics within normal range",
  "Key user flows tested manually",
].map((label) => ({ section: "Post-deployment", phase: "after", label, required: false }));

function preDeployment(labels: string[]): PresetChecklistItem[] {
  return labels.map((label) => ({ section: "Pre-deployment", label, required: true }));
}

// the pipeline is GitHub Actions deploying to one AKS namespace per environment; the workflow
// file name is ours. "Deployment timeout (10 minutes)" triggers Kubernetes' rollback.
const deployTargets: PresetDeployTarget[] = APPS.flatMap((app) =>
  STAGES.map((env) => ({
    appKey: app,
    envKey: env,
    provider: "github_actions" as const,
    config: {
      owner: "studysphere",
      repo: "studysphere",
      workflow: "deploy.yml",
      ref: "main",
      inputs: { namespace: env, service: app },
    },
    secretEnvVar: "STUDYSPHERE_GITHUB_TOKEN",
    timeoutSeconds: 600,
  })),
);

export const studysphere: Preset = {
  name: "004-studysphere",
  title: "StudySphere",
  description:
    "StudySphere on AKS (seed 004): development → testing (QA approves) → production (product owner approves)",
  // colours from the document's promotion diagram
  environments: [
    {
      key: "development",
      name: "Development",
      description: "Rapid iteration in the development namespace: test data, basic logging, frequent resets",
      protected: false,
      color: "#90ee90",
      url: "https://dev.studysphere.example.com",
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      // "Automatic on every main branch push"
      autoPromote: true,
      rolloutStrategy: "direct",
      rolloutSteps: [],
      // Kubernetes probes; the document names no path
      healthCheckPath: "/healthz",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "testing",
      name: "Testing",
      description:
        "QA and stakeholder validation: integration, UI, load and accessibility suites on production-like data",
      protected: false,
      color: "#ffd700",
      url: "https://test.studysphere.example.com",
      requiredApprovals: 1,
      preventSelfApproval: true,
      soakMinutes: 0,
      // GitHub Actions waits for the approval, then deploys by itself
      autoPromote: true,
      rolloutStrategy: "direct",
      rolloutSteps: [],
      healthCheckPath: "/healthz",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "production",
      name: "Production",
      description: "Real students: 2-10 replicas, comprehensive monitoring and on-call",
      protected: true,
      color: "#ff6b6b",
      url: "https://studysphere.example.com",
      requiredApprovals: 1,
      preventSelfApproval: true,
      soakMinutes: 0,
      autoPromote: true,
      // "Deploy to prod (rolling update)"; blue-green and canary are listed as future work
      rolloutStrategy: "direct",
      rolloutSteps: [],
      healthCheckPath: "/healthz",
      // liveness probe failures roll back; the 1% error rate only pages the on-call engineer
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
  ],
  roles: [
    ADMIN_ROLE,
    {
      key: "product_owner",
      name: "Product owner",
      description: "Reviews test results and approves production",
      globalPermissions: [],
    },
    {
      key: "engineering_manager",
      name: "Engineering manager",
      description: "May approve production in the product owner's place",
      globalPermissions: [],
    },
    {
      key: "tech_lead",
      name: "Tech lead",
      description: "May approve testing in QA's place; handles production rollbacks",
      globalPermissions: [],
    },
    {
      key: "qa",
      name: "QA engineer",
      description: "Approves deployments to testing and runs manual and automated tests there",
      globalPermissions: [],
    },
    {
      key: "developer",
      name: "Developer",
      description: "Pushes to main and owns the development namespace",
      globalPermissions: [],
    },
  ],
  // "Approvers: None / QA Team / Product Manager" with the alternates named under each environment
  matrix: {
    admin: { development: "full", testing: "full", production: "full" },
    product_owner: {
      development: "view",
      testing: "read",
      production: { custom: ["environment.view", "audit.view", "release.approve", "checklist.tick"] },
    },
    engineering_manager: {
      development: "read",
      testing: "read",
      production: {
        custom: ["environment.view", "audit.view", "release.approve", "checklist.tick", "deploy.rollback"],
      },
    },
    tech_lead: {
      development: "full",
      testing: {
        custom: [
          "environment.view",
          "audit.view",
          "release.approve",
          "checklist.tick",
          "deploy.trigger",
          "deploy.rollback",
        ],
      },
      production: { custom: ["environment.view", "audit.view", "checklist.tick", "deploy.trigger", "deploy.rollback"] },
    },
    qa: {
      development: "read",
      testing: { custom: ["environment.view", "audit.view", "release.approve", "checklist.tick", "flag.toggle"] },
      production: { custom: ["environment.view", "checklist.tick"] },
    },
    developer: { development: "full", testing: "read", production: "view" },
  },
  checklists: {
    development: {
      name: "Pre-Deployment (Development)",
      items: [
        ...preDeployment([
          "All tests passing",
          "Code reviewed and merged",
          "Database migrations tested",
          "Environment variables configured",
        ]),
        { section: "Pre-deployment", label: "Feature flags set (if applicable)", required: false },
        ...postDeployment,
      ],
    },
    testing: {
      name: "Pre-Deployment (Testing)",
      items: [
        ...preDeployment([
          "Dev deployment successful",
          "Smoke tests passed",
          "No critical bugs in dev",
          "QA team notified",
          "Test data prepared",
        ]),
        ...postDeployment,
      ],
    },
    production: {
      name: "Pre-Deployment (Production)",
      items: [
        ...preDeployment([
          "Testing deployment successful",
          "Integration tests passed",
          "UAT completed and signed off",
          "Performance benchmarks met",
          "Security scan passed",
          "Rollback plan documented",
          "Team notified of deployment window",
          "Database backup verified",
        ]),
        ...postDeployment,
      ],
    },
  },
  // the document's `features` object; categories are ours (it has none)
  flags: [
    {
      key: "newDashboard",
      name: "New dashboard",
      description: "The redesigned student dashboard",
      category: "ui",
      states: { development: true, testing: true, production: false },
    },
    {
      key: "betaFeatures",
      name: "Beta features",
      description: "Features still in beta, for internal and stakeholder testing",
      category: "experimental",
      states: { development: true, testing: true, production: false },
    },
    {
      key: "debugMode",
      name: "Debug mode",
      description: "Verbose diagnostics in the UI and API responses",
      category: "operations",
      states: { development: true, testing: false, production: false },
    },
  ],
  // the document shows auth-service in its kubectl examples; the student web app is the product itself
  applications: [
    { key: "web", name: "StudySphere web", description: "The student-facing web application and admin dashboard" },
    { key: "auth-service", name: "Auth service", description: "Sign-in, sessions and JWT issuing for StudySphere" },
  ],
  users: [
    { email: `ana.admin@${ORG}`, name: "Ana Ruiz", roles: ["admin"] },
    { email: `priya.product-owner@${ORG}`, name: "Priya Nair", roles: ["product_owner"] },
    { email: `elena.engineering-manager@${ORG}`, name: "Elena Petrova", roles: ["engineering_manager"] },
    { email: `tomas.tech-lead@${ORG}`, name: "Tomás Herrera", roles: ["tech_lead"] },
    { email: `quentin.qa@${ORG}`, name: "Quentin Moreau", roles: ["qa"] },
    { email: `diego.developer@${ORG}`, name: "Diego Santos", roles: ["developer"] },
  ],
  deployTargets,
  doraTargets: {
    source: "Seed 004, Metrics and KPIs",
    deploymentsPerWeek: 2,
    leadTimeHours: 2,
    changeFailureRatePercent: 15,
    recoveryMinutes: 60,
  },
};

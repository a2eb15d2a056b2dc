import { ADMIN_ROLE, type Preset, type PresetDeployTarget } from "./types";

// Seed 003: MicroBima (named after its Fly.io apps, microbima-<env>-<app>), three services on
// Fly.io with branch-based deploys. Only staging and production are deploy targets: the
// `development` branch is pushed by hand and deploys nowhere. "Branch-Based Deployment": a push
// to `staging` deploys to staging, a push to `production` (the reviewed pull request from
// staging) to production. As branch rules: releases built from `development` (or a feature
// branch) enter neither environment; a release built from `staging` deploys to staging by
// itself and goes on to production once the review (the approval) is given; one built from
// `production` (a fix merged there) may enter both.

const ORG = "microbima.example";
const APPS = ["internal-api", "web-admin", "public-api"] as const;
const STAGES = ["staging", "production"] as const;

// "Manual Deployment Commands": flyctl deploy -a microbima-<env>-<app> -c infra/fly/<app>/<env>/fly.toml
const deployTargets: PresetDeployTarget[] = APPS.flatMap((app) =>
  STAGES.map((env) => ({
    appKey: app,
    envKey: env,
    provider: "command" as const,
    config: {
      command: "flyctl",
      args: ["deploy", "-a", `microbima-${env}-${app}`, "-c", `infra/fly/${app}/${env}/fly.toml`],
    },
    secretEnvVar: "FLY_API_TOKEN",
  })),
);

export const microbima: Preset = {
  name: "003-microbima",
  title: "MicroBima",
  description: "MicroBima on Fly.io (seed 003): staging → production for internal-api, web-admin and public-api",
  environments: [
    {
      key: "staging",
      name: "Staging",
      description: "Testing and pre-production validation: debug logging, 1 CPU / 512 MB per app",
      protected: false,
      color: "#d97706",
      // each app has its own Fly.io hostname, so the environment has no single URL
      url: null,
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      // "staging: Auto (on push)": of the staging branch
      autoPromote: true,
      allowedBranches: ["staging", "production"],
      autoPromoteBranches: ["staging"],
      // Fly.io's own rolling deploy; the document describes no traffic shifting
      rolloutStrategy: "direct",
      rolloutSteps: [],
      // "Performs health checks after deployment"; the path is not given
      healthCheckPath: "/health",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "production",
      name: "Production",
      description: "Live traffic: 2 CPU / 1 GB per app, non-root images with dumb-init, production monitoring",
      protected: true,
      color: "#dc2626",
      url: null,
      // the reviewed pull request from staging to production is the approval; merging deploys,
      // so once it is given the promotion goes ahead by itself
      requiredApprovals: 1,
      preventSelfApproval: true,
      soakMinutes: 0,
      autoPromote: true,
      // what reaches production came through the staging → production pull request
      allowedBranches: ["staging", "production"],
      rolloutStrategy: "direct",
      rolloutSteps: [],
      healthCheckPath: "/health",
      healthCheckFailureThreshold: 3,
      // rollback is a manual `flyctl deploy --image-label previous-version`: no automatic trigger
      errorRateThresholdPercent: null,
    },
  ],
  roles: [
    ADMIN_ROLE,
    {
      key: "product_owner",
      name: "Product owner",
      description: "Reviews what staging validated and approves production",
      globalPermissions: [],
    },
    {
      key: "developer",
      name: "Developer",
      description: "Builds features and takes them through staging",
      globalPermissions: [],
    },
    {
      key: "devops",
      name: "DevOps",
      description: "Owns the Fly.io apps, the pipeline and rollbacks",
      globalPermissions: [],
    },
  ],
  // silent on access: staging is "less restrictive", production changes go through DevOps
  matrix: {
    admin: { staging: "full", production: "full" },
    product_owner: { staging: "read", production: { custom: ["environment.view", "audit.view", "release.approve"] } },
    developer: {
      staging: {
        custom: [
          "environment.view",
          "audit.view",
          "release.create",
          "checklist.tick",
          "deploy.trigger",
          "deploy.rollback",
        ],
      },
      production: "view",
    },
    devops: {
      staging: "full",
      production: {
        custom: [
          "environment.view",
          "audit.view",
          "checklist.tick",
          "deploy.trigger",
          "deploy.rollback",
          "flag.toggle",
          "environment.manage",
        ],
      },
    },
  },
  // "Before Production Deployment"; "Before First Deployment" is one-time setup, not per release
  checklists: {
    production: {
      name: "Before Production Deployment",
      items: [
        { label: "Test thoroughly in staging", required: true },
        { label: "Verify all environment variables are set", required: true },
        { label: "Check security configurations", required: true },
        { label: "Ensure monitoring is in place", required: true },
        { label: "Have rollback plan ready", required: true },
      ],
    },
  },
  flags: [],
  applications: [
    { key: "internal-api", name: "Internal API", description: "Back-office API used by web-admin" },
    { key: "web-admin", name: "Web admin", description: "Administration web app for the operations team" },
    { key: "public-api", name: "Public API", description: "API exposed to partners and customer apps" },
  ],
  users: [
    { email: `ana.admin@${ORG}`, name: "Ana Ruiz", roles: ["admin"] },
    { email: `priya.product-owner@${ORG}`, name: "Priya Nair", roles: ["product_owner"] },
    { email: `diego.developer@${ORG}`, name: "Diego Santos", roles: ["developer"] },
    { email: `dana.devops@${ORG}`, name: "Dana Kim", roles: ["devops"] },
  ],
  deployTargets,
};

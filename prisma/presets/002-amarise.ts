import { ADMIN_ROLE, type Preset, type PresetChecklist, type PresetFlag } from "./types";

// Seed 002: AMARISÉ, a luxury commerce platform. Its hierarchy starts at LOCAL (each
// developer's machine), which is not a deploy target: nothing is promoted from a laptop and
// Greenlight cannot reach it. The pipeline therefore starts at the shared DEV server, and the
// flag table's "Local" column is left out (it equals Dev for every flag anyway).

const ORG = "amarise.example";

type Stage = "development" | "staging" | "production";

/** A flag from the document's FeatureFlags interface with its Dev / Staging / Production values. */
function flag(
  category: string,
  key: string,
  name: string,
  description: string,
  on: Record<Stage, boolean>,
): PresetFlag {
  return { key, name, description, category, states: on };
}

const all = { development: true, staging: true, production: true };
const notInProduction = { development: true, staging: true, production: false };
const devOnly = { development: true, staging: false, production: false };

// "Flag Configuration by Environment" covers nine flags; the interface names ten more. Those
// have no row, so they follow the document's rule "default to 'false' if lookup fails" in
// staging and production, and are on in Dev like every flag in the table.
export const amariseFlags: PresetFlag[] = [
  flag("commerce", "checkoutEnabled", "Checkout", "Master checkout toggle", all),
  flag("commerce", "guestCheckout", "Guest checkout", "Allow guest purchases", notInProduction),
  flag("commerce", "preOrders", "Pre-orders", "Pre-order functionality", notInProduction),
  flag("commerce", "wishlist", "Wishlist", "Wishlist feature", all),
  flag("commerce", "reviews", "Product reviews", "Product reviews", devOnly),
  flag("discovery", "browseByRitual", "Browse by ritual", "Ritual-based browsing", all),
  flag("discovery", "browseByMood", "Browse by mood", "Mood-based browsing", devOnly),
  flag("discovery", "relatedProducts", "Related products", "Related products section", devOnly),
  flag("discovery", "recentlyViewed", "Recently viewed", "Recently viewed tracking", devOnly),
  flag("content", "journal", "Journal", "Journal section", all),
  flag("content", "lookbook", "Lookbook", "Lookbook section", devOnly),
  flag("content", "stories", "Product stories", "Product stories", devOnly),
  flag("ui", "darkMode", "Dark mode", "Dark mode toggle", devOnly),
  flag("ui", "animations", "Animations", "Motion effects", devOnly),
  flag("ui", "launchCountdown", "Launch countdown", "Collection countdown", devOnly),
  flag("ui", "stockIndicator", "Stock indicator", "Show stock levels", devOnly),
  flag("experimental", "aiRecommendations", "AI recommendations", "AI-powered suggestions", devOnly),
  flag("experimental", "arTryOn", "AR try-on", "AR product preview", devOnly),
  flag("experimental", "liveChat", "Live chat", "Live chat support", devOnly),
];

/**
 * Section 4 "Deployment Checklist". Only the pre-deployment part gates a promotion; the
 * deployment and post-deployment parts are ticked on each deployment, while it runs and after.
 */
export const amariseDeploymentChecklist: PresetChecklist = {
  name: "Deployment Checklist",
  items: [
    { section: "Pre-deployment", label: "All tests passing", required: true },
    { section: "Pre-deployment", label: "Code review approved", required: true },
    { section: "Pre-deployment", label: "Changelog updated", required: true },
    { section: "Pre-deployment", label: "Database migrations tested", required: true },
    { section: "Pre-deployment", label: "Feature flags configured", required: true },
    { section: "Pre-deployment", label: "Rollback plan documented", required: true },
    // the rollout and its aftermath happen after the promotion: ticked on the deployment, not gating
    { section: "Deployment", phase: "during", label: "Deploy to inactive environment", required: false },
    { section: "Deployment", phase: "during", label: "Run smoke tests", required: false },
    { section: "Deployment", phase: "during", label: "Verify health checks", required: false },
    { section: "Deployment", phase: "during", label: "Switch traffic gradually (10% → 50% → 100%)", required: false },
    { section: "Deployment", phase: "during", label: "Monitor error rates", required: false },
    { section: "Post-deployment", phase: "after", label: "Verify key user journeys", required: false },
    { section: "Post-deployment", phase: "after", label: "Check performance metrics", required: false },
    { section: "Post-deployment", phase: "after", label: "Review error logs", required: false },
    { section: "Post-deployment", phase: "after", label: "Update status page", required: false },
    { section: "Post-deployment", phase: "after", label: "Notify stakeholders", required: false },
  ],
};

export const amarise: Preset = {
  name: "002-amarise",
  title: "AMARISÉ",
  description:
    "AMARISÉ commerce platform (seed 002): dev → staging → production, blue-green 10 → 50 → 100 with automatic rollback",
  environments: [
    {
      key: "development",
      name: "Dev",
      description: "Shared development server on the latest main: Stripe test mode, test data reset nightly",
      protected: false,
      color: "#16a34a",
      url: "https://dev.amarise.com",
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      // "Auto-deploy on merge"
      autoPromote: true,
      rolloutStrategy: "direct",
      rolloutSteps: [],
      // the document does not name the endpoint
      healthCheckPath: "/health",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "staging",
      name: "Staging",
      description:
        "Production mirror for release candidates and UAT: anonymised data refreshed weekly, flags match the production plan",
      protected: false,
      color: "#d97706",
      url: "https://staging.amarise.com",
      requiredApprovals: 0,
      preventSelfApproval: false,
      soakMinutes: 0,
      // "Manual deploy trigger"
      autoPromote: false,
      // blue-green is described for production only
      rolloutStrategy: "direct",
      rolloutSteps: [],
      healthCheckPath: "/health",
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: null,
    },
    {
      key: "production",
      name: "Production",
      description: "Live customer-facing shop: Stripe live mode, deployed from release tags with blue-green",
      protected: true,
      color: "#dc2626",
      url: "https://amarise.com",
      // silent on who signs off a release tag; the product owner approves, as in Greenlight's default
      requiredApprovals: 1,
      preventSelfApproval: true,
      soakMinutes: 0,
      autoPromote: false,
      // "Switch traffic gradually (10% → 50% → 100%)", each step held for the 5-minute error-rate window
      rolloutStrategy: "blue_green",
      rolloutSteps: [
        { percent: 10, pauseSeconds: 300 },
        { percent: 50, pauseSeconds: 300 },
        { percent: 100, pauseSeconds: 0 },
      ],
      healthCheckPath: "/health",
      // "Health Checks: 3 consecutive failures" and "Error Rate: > 5% 5xx errors → automatic rollback"
      healthCheckFailureThreshold: 3,
      errorRateThresholdPercent: 5,
    },
  ],
  roles: [
    ADMIN_ROLE,
    {
      key: "product_owner",
      name: "Product owner",
      description: "Signs off release candidates for production",
      globalPermissions: [],
    },
    {
      key: "developer",
      name: "Backend engineer",
      description: "Builds the platform and configures its environments",
      globalPermissions: [],
    },
    {
      key: "devops",
      name: "DevOps",
      description: "Manages the deployment pipelines and runs the blue-green switch",
      globalPermissions: [],
    },
    { key: "qa", name: "QA engineer", description: "Runs UAT on release candidates in staging", globalPermissions: [] },
  ],
  // The document only says who configures (backend engineers) and who deploys (DevOps); the rest
  // follows the usual split: builders own dev, DevOps owns the pipeline, the product owner approves.
  matrix: {
    admin: { development: "full", staging: "full", production: "full" },
    product_owner: {
      development: "view",
      staging: "read",
      production: { custom: ["environment.view", "audit.view", "release.approve", "flag.approve"] },
    },
    developer: { development: "full", staging: "read", production: "view" },
    devops: {
      development: "full",
      staging: "full",
      production: {
        custom: [
          "environment.view",
          "audit.view",
          "deploy.trigger",
          "deploy.rollback",
          "checklist.tick",
          "flag.toggle",
          "environment.manage",
        ],
      },
    },
    qa: {
      development: "read",
      staging: { custom: ["environment.view", "audit.view", "checklist.tick"] },
      production: "view",
    },
  },
  checklists: { production: amariseDeploymentChecklist },
  flags: amariseFlags,
  applications: [
    {
      key: "storefront",
      name: "AMARISÉ storefront",
      description: "The shop: catalogue, ritual and mood browsing, journal, Stripe checkout",
    },
  ],
  users: [
    { email: `ana.admin@${ORG}`, name: "Ana Ruiz", roles: ["admin"] },
    { email: `priya.product-owner@${ORG}`, name: "Priya Nair", roles: ["product_owner"] },
    { email: `diego.developer@${ORG}`, name: "Diego Santos", roles: ["developer"] },
    { email: `dana.devops@${ORG}`, name: "Dana Kim", roles: ["devops"] },
    { email: `quentin.qa@${ORG}`, name: "Quentin Moreau", roles: ["qa"] },
  ],
};

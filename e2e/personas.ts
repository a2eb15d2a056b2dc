// The demo preset's personas (prisma/presets/demo.ts); all share the demo password.
export const PASSWORD = "greenlight";

export const PERSONAS = {
  admin: { email: "ana.admin@demo.example", name: "Ana Ruiz", role: "Admin" },
  productOwner: { email: "priya.product-owner@demo.example", name: "Priya Nair", role: "Product owner" },
  qa: { email: "quentin.qa@demo.example", name: "Quentin Moreau", role: "QA engineer" },
  developer: { email: "diego.developer@demo.example", name: "Diego Santos", role: "Developer" },
  devops: { email: "dana.devops@demo.example", name: "Dana Kim", role: "DevOps" },
  operations: { email: "omar.operations@demo.example", name: "Omar Haddad", role: "Operations" },
  businessOwner: { email: "beatrice.business-owner@demo.example", name: "Béatrice Koné", role: "Business owner" },
} as const;

export type PersonaKey = keyof typeof PERSONAS;

export const storageStateOf = (persona: PersonaKey) => `e2e/.auth/${persona}.json`;

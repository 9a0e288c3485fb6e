/** The first admin, created through /setup by e2e/first-run.setup.ts. */
export const ADMIN = { email: "admin@provenance.test", password: "correct horse battery staple" } as const;

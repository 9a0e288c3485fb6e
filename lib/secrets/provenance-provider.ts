/**
 * The provider name of a secret whose value Provenance stores itself. In a module of its own, free
 * of zod, so client components can name it without loading the request shapes.
 */
export const PROVENANCE_PROVIDER = "provenance";

import { aadFor } from "@/lib/crypto";

/**
 * The associated data of every encrypted column, in one place: writers, readers and key
 * rotation must agree exactly, or a ciphertext becomes unreadable.
 */
export const connectionCredentialsAad = (connectionId: string) => aadFor("secret_providers", connectionId, "credentials");
export const secretValueAad = (secretId: string) => aadFor("secrets", secretId, "value");

/**
 * Provenance's encryption: one keyring derived from SECRETS_MASTER_KEY, AES-256-GCM envelopes
 * bound to their row and field, a stored key check, and keyed fingerprints. Framework-free: the
 * server, the CLI and tests import it directly. See each file's header for the design reasons.
 */
export {
  createKeyring,
  deriveSecret,
  generateMasterKey,
  KeyringError,
  MIN_MASTER_KEY_LENGTH,
  type Keyring,
  type MasterKey,
} from "./keyring";
export {
  aadFor,
  decrypt,
  DecryptionError,
  encrypt,
  isCurrentKey,
  isDecryptionError,
  keyIdOf,
  reencrypt,
  type DecryptionFailure,
} from "./envelope";
export { createKeyCheck, describeKeyMismatch, verifyKeyCheck, type KeyCheckResult } from "./key-check";
export { fingerprint } from "./fingerprint";

import { readFileSync } from "node:fs";
import path from "node:path";
import tls, { type SecureContextOptions } from "node:tls";

/** The test CA and the 127.0.0.1 server certificate it signed (see tls/README.md). */
const dir = path.join(path.dirname(new URL(import.meta.url).pathname), "tls");
export const TEST_CA_PATH = path.join(dir, "ca.pem");
export const serverTls = {
  key: readFileSync(path.join(dir, "server-key.pem"), "utf8"),
  cert: readFileSync(path.join(dir, "server.pem"), "utf8"),
};

/**
 * What makes a process trust the test CA from start-up: Node's HTTPS reads NODE_EXTRA_CA_CERTS,
 * grpc-js reads GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (when set, it replaces Node's roots for gRPC;
 * some machines set it to the system bundle). Both are read once, before any test runs.
 */
export const TEST_CA_ENV = { NODE_EXTRA_CA_CERTS: TEST_CA_PATH, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: TEST_CA_PATH };

let patched = false;

/**
 * Makes this process trust the test CA. A no-op when it was started with TEST_CA_ENV (the
 * provider vitest config does that); otherwise the CA is added to every TLS context created from
 * now on, whatever roots it was given, as those variables would have. Adapters are unchanged.
 */
export function trustTestCa(): "environment" | "patched" {
  const grpcRoots = process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH;
  if (process.env.NODE_EXTRA_CA_CERTS === TEST_CA_PATH && (!grpcRoots || grpcRoots === TEST_CA_PATH)) return "environment";
  if (!patched) {
    const ca = readFileSync(TEST_CA_PATH, "utf8");
    const original = tls.createSecureContext;
    tls.createSecureContext = (options: SecureContextOptions = {}) => {
      const given = options.ca === undefined ? [...tls.rootCertificates] : [options.ca].flat();
      return original({ ...options, ca: [...given, ca] });
    };
    patched = true;
  }
  return "patched";
}

import { generateKeyPairSync, type KeyObject } from "node:crypto";

/** A throwaway service-account key, as the GCP console downloads it (minus the fields we do not use). */
export function makeServiceAccount(projectId: string): { json: string; clientEmail: string; privateKeyPem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const clientEmail = `provenance-test@${projectId}.iam.gserviceaccount.com`;
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const json = JSON.stringify({
    type: "service_account",
    project_id: projectId,
    private_key_id: "0123456789abcdef",
    private_key: privateKeyPem,
    client_email: clientEmail,
    client_id: "100000000000000000001",
    token_uri: "https://oauth2.googleapis.com/token",
  });
  return { json, clientEmail, privateKeyPem, publicKey };
}

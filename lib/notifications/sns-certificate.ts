import { X509Certificate, type KeyObject } from "node:crypto";
import { env } from "@/lib/env";
import { fetchOutbound } from "./fetch-outbound";
import { notAuthentic } from "./notification-error";

/**
 * The public key SNS signed a message with: fetched from the message's SigningCertURL, which must
 * match PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN (by default https on an sns.<region>.amazonaws.com
 * host, so only AWS's own certificates are ever used), kept per URL while the certificate is valid
 * (SNS rotates them rarely, and a new URL comes with a new certificate).
 */
const MAX_CERTIFICATES = 20;
const KEEP_MS = 60 * 60 * 1000;

interface Held {
  key: KeyObject;
  until: number;
}

const globalForCerts = globalThis as typeof globalThis & { __provenanceSnsCertificates?: Map<string, Held> };
const held = (globalForCerts.__provenanceSnsCertificates ??= new Map());

export function certificateUrlAllowed(url: string): boolean {
  return new RegExp(env().PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN).test(url);
}

export async function snsSigningKey(url: string, now = Date.now()): Promise<KeyObject> {
  if (!certificateUrlAllowed(url))
    throw notAuthentic("SigningCertURL is not an SNS certificate address (PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN)");
  const known = held.get(url);
  if (known && now < known.until) return known.key;
  let pem: Buffer;
  try {
    pem = await fetchOutbound(url, "SNS signing certificate");
  } catch (error) {
    throw notAuthentic(`the signing certificate could not be fetched: ${(error as Error).message}`);
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw notAuthentic("the signing certificate is not a PEM X.509 certificate");
  }
  const validTo = Date.parse(certificate.validTo);
  if (!(Date.parse(certificate.validFrom) <= now && now <= validTo))
    throw notAuthentic("the signing certificate is expired or not yet valid");
  if (!held.has(url) && held.size >= MAX_CERTIFICATES) held.delete(held.keys().next().value!);
  held.set(url, { key: certificate.publicKey, until: Math.min(validTo, now + KEEP_MS) });
  return certificate.publicKey;
}

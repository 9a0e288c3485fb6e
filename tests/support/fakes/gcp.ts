import { randomBytes, verify, type KeyObject } from "node:crypto";
import type { ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { crc32c } from "@/lib/providers/gcp-sm/crc32c";
import { applyTransportFault, FaultQueue, sendJson, startHttpFake, type Fault, type HttpFake } from "./http";
import { startTcpProxy } from "../tcp-proxy";
import { serverTls } from "./tls";

/**
 * GCP Secret Manager over gRPC: a @grpc/grpc-js server built from the service.proto that ships
 * in the SDK, implementing AccessSecretVersion and GetSecretVersion (metadata, no payload). Records each call's name and metadata (the
 * authorization header a service-account key produces). Plain-text, or TLS with the test CA.
 */
export interface GcpFault {
  /** Fail the call with this gRPC status code. */
  code?: grpc.status;
  delayMs?: number;
  /** Drop the TCP connection under the call. */
  reset?: boolean;
  badCrc?: boolean;
  noPayload?: boolean;
}

export interface GcpRequest {
  method: "AccessSecretVersion" | "GetSecretVersion";
  name: string;
  authorization: string | undefined;
  metadata: Record<string, unknown>;
  /** Who the bearer token stands for, when an identity fake issued it. */
  principal?: string;
}

export interface GcpFake {
  /** host:port for apiEndpoint; prefix with http:// for the plain-text fake. */
  endpoint: string;
  requests: GcpRequest[];
  faults: FaultQueue<GcpFault>;
  /** Adds a version to projects/{project}/secrets/{secret}; returns its number. */
  putSecret(project: string, secret: string, data: string | Buffer): number;
  close(): Promise<void>;
}

// The protos the SDK ships (secretmanager) and the common ones it imports (google-gax's).
const protoDirOf = (entry: string) => path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}build${path.sep}`)), "build", "protos");
const sdkEntry = createRequire(import.meta.url).resolve("@google-cloud/secret-manager");
const PROTO_DIRS = [protoDirOf(sdkEntry), protoDirOf(createRequire(sdkEntry).resolve("google-gax"))];

interface ServiceDefinition {
  google: { cloud: { secretmanager: { v1: { SecretManagerService: { service: grpc.ServiceDefinition } } } } };
}

export async function startGcpFake(options: { tls?: boolean; identity?: GcpIdentityFake } = {}): Promise<GcpFake> {
  const definition = protoLoader.loadSync("google/cloud/secretmanager/v1/service.proto", {
    includeDirs: PROTO_DIRS,
    longs: String,
    defaults: false,
    oneofs: true,
  });
  const proto = grpc.loadPackageDefinition(definition) as unknown as ServiceDefinition;
  const secrets = new Map<string, Buffer[]>();
  const requests: GcpRequest[] = [];
  const faults = new FaultQueue<GcpFault>();
  let proxyReset = () => {};

  /** Records the call, checks its credentials, applies a fault; then finds the version named. */
  type Found = { project: string; secret: string; number: number; data: Buffer; fault: GcpFault | undefined };
  const receive = async (
    method: GcpRequest["method"],
    call: grpc.ServerUnaryCall<{ name: string }, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ): Promise<Found | undefined> => {
    const name = call.request.name;
    const authorization = call.metadata.get("authorization")[0]?.toString();
    const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
    // With an identity fake, access tokens (not self-signed JWTs) must be ones it issued and still valid.
    const selfSigned = bearer.split(".").length === 3;
    const principal = options.identity && !selfSigned ? options.identity.principalOf(bearer) : undefined;
    requests.push({ method, name, authorization, metadata: call.metadata.getMap(), ...(principal ? { principal } : {}) });
    if (options.identity && !selfSigned && !principal) {
      callback({
        code: grpc.status.UNAUTHENTICATED,
        details: "Request had invalid authentication credentials. Expected OAuth 2 access token.",
      });
      return undefined;
    }
    const fault = faults.take();
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.reset) return void proxyReset();
    if (call.cancelled) return undefined;
    if (fault?.code !== undefined) return void callback({ code: fault.code, details: `fault ${grpc.status[fault.code]}` });
    const match = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+)$/.exec(name);
    const versions = match ? secrets.get(`projects/${match[1]}/secrets/${match[2]}`) : undefined;
    const number = match?.[3] === "latest" ? (versions?.length ?? 0) : Number(match?.[3]);
    const data = versions?.[number - 1];
    if (!match || !data) return void callback({ code: grpc.status.NOT_FOUND, details: `Secret Version [${name}] not found.` });
    return { project: match[1]!, secret: match[2]!, number, data, fault };
  };

  const server = new grpc.Server();
  server.addService(proto.google.cloud.secretmanager.v1.SecretManagerService.service, {
    // A version's metadata: its resolved name (latest → the number) and state, never the payload.
    getSecretVersion: async (call: grpc.ServerUnaryCall<{ name: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const found = await receive("GetSecretVersion", call, callback);
      if (!found) return;
      callback(null, {
        name: `projects/${found.project}/secrets/${found.secret}/versions/${found.number}`,
        state: "ENABLED",
        createTime: { seconds: "1700000000", nanos: 0 },
      });
    },
    accessSecretVersion: async (call: grpc.ServerUnaryCall<{ name: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const found = await receive("AccessSecretVersion", call, callback);
      if (!found) return;
      const { fault, data, number, project, secret } = found;
      if (fault?.noPayload) return callback(null, { name: call.request.name });
      const checksum = crc32c(data) + (fault?.badCrc ? 1 : 0);
      callback(null, { name: `projects/${project}/secrets/${secret}/versions/${number}`, payload: { data, dataCrc32c: String(checksum) } });
    },
  });
  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(serverTls.key), cert_chain: Buffer.from(serverTls.cert) }])
    : grpc.ServerCredentials.createInsecure();
  const grpcPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (error, port) => (error ? reject(error) : resolve(port))),
  );
  const proxy = await startTcpProxy(grpcPort);
  proxyReset = () => proxy.resetAll();

  return {
    endpoint: `127.0.0.1:${proxy.port}`,
    requests,
    faults,
    putSecret(project, secret, data) {
      const key = `projects/${project}/secrets/${secret}`;
      const versions = [...(secrets.get(key) ?? []), Buffer.from(data)];
      secrets.set(key, versions);
      return versions.length;
    },
    close: async () => {
      server.forceShutdown();
      await proxy.close();
    },
  };
}

/**
 * Google's token services over HTTP(S): STS (POST /v1/token, RFC 8693 token exchange of an OIDC
 * token for a federated access token) and IAM Credentials (POST
 * /v1/projects/-/serviceAccounts/{email}:generateAccessToken). STS checks the subject token and the
 * audience; IAM checks the caller's bearer token (an access token issued here, or a self-signed
 * JWT of a known service-account key, verified with its public key) and whether that caller may
 * act as the target account. Tokens issued here are what the Secret Manager fake accepts when it
 * is given this fake. Errors are worded the way Google words them.
 */
export interface GcpIdentityOptions {
  tls?: boolean;
  /** The workload identity pool provider's audience, and the OIDC tokens it accepts (token → subject). */
  audience: string;
  subjectTokens: Record<string, string>;
  /** Public keys of service-account keys whose self-signed JWTs are accepted, by email. */
  serviceAccountKeys?: Record<string, KeyObject>;
  /** Target service account → the principals allowed to impersonate it (an email, or `federated:<subject>`). */
  tokenCreators?: Record<string, string[]>;
  /** Lifetime of issued tokens. */
  ttlSeconds?: number;
}

export interface GcpIdentityFake extends HttpFake {
  /** The STS token endpoint, for token_url. */
  tokenUrl: string;
  impersonationUrl(account: string): string;
  /** The principal an issued, unexpired access token stands for. */
  principalOf(token: string): string | undefined;
  faults: FaultQueue<Fault>;
}

export async function startGcpIdentityFake(options: GcpIdentityOptions): Promise<GcpIdentityFake> {
  const issued = new Map<string, { principal: string; expiresAt: number }>();
  const faults = new FaultQueue<Fault>();
  const ttl = options.ttlSeconds ?? 3600;
  const issue = (principal: string) => {
    const token = `ya29.fake-${randomBytes(12).toString("hex")}`;
    issued.set(token, { principal, expiresAt: Date.now() + ttl * 1000 });
    return token;
  };
  const principalOf = (token: string) => {
    const entry = issued.get(token);
    return entry && entry.expiresAt > Date.now() ? entry.principal : undefined;
  };
  const googleError = (res: ServerResponse, code: number, status: string, message: string) =>
    sendJson(res, code, { error: { code, message, status } });

  const callerOf = (authorization: string | undefined): string | undefined => {
    const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
    if (bearer.split(".").length !== 3) return principalOf(bearer);
    const [header, payload, signature] = bearer.split(".");
    let claims: { iss?: string; sub?: string; scope?: string; exp?: number };
    try {
      claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as typeof claims;
    } catch {
      return undefined;
    }
    const key = options.serviceAccountKeys?.[claims.iss ?? ""];
    if (!key || claims.sub !== claims.iss || !claims.scope?.split(" ").includes("https://www.googleapis.com/auth/cloud-platform"))
      return undefined;
    if (!claims.exp || claims.exp * 1000 < Date.now()) return undefined;
    return verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature ?? "", "base64url"))
      ? claims.iss
      : undefined;
  };

  const fake = await startHttpFake(
    async (req, res, recorded) => {
      const fault = faults.take();
      if (await applyTransportFault(fault, req, res)) return;
      if (fault?.status && fault.status >= 300 && fault.status < 400) return void res.writeHead(fault.status, fault.headers ?? {}).end();
      if (fault?.status) return googleError(res, fault.status, fault.code ?? "UNAVAILABLE", fault.message ?? "fault");
      const url = new URL(recorded.path, "http://fake");
      if (req.method === "POST" && url.pathname === "/v1/token") {
        const form = new URLSearchParams(recorded.body);
        if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:token-exchange") {
          return sendJson(res, 400, { error: "unsupported_grant_type", error_description: "Unsupported grant type." });
        }
        if (form.get("requested_token_type") !== "urn:ietf:params:oauth:token-type:access_token" || !form.get("scope")) {
          return sendJson(res, 400, { error: "invalid_request", error_description: "Invalid value for requested_token_type or scope." });
        }
        const subject = options.subjectTokens[form.get("subject_token") ?? ""];
        if (form.get("audience") !== options.audience) {
          return sendJson(res, 400, {
            error: "invalid_target",
            error_description:
              'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
          });
        }
        if (!subject)
          return sendJson(res, 400, { error: "invalid_grant", error_description: "The ID Token's signature could not be verified." });
        return sendJson(res, 200, {
          access_token: issue(`federated:${subject}`),
          issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
          token_type: "Bearer",
          expires_in: ttl,
        });
      }
      const target = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url.pathname)?.[1];
      if (req.method === "POST" && target) {
        const account = decodeURIComponent(target);
        const caller = callerOf(req.headers.authorization);
        if (!caller)
          return googleError(
            res,
            401,
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
          );
        const body = JSON.parse(recorded.body || "{}") as { scope?: unknown };
        if (!Array.isArray(body.scope) || body.scope.length === 0) return googleError(res, 400, "INVALID_ARGUMENT", "Scope required.");
        if (!(options.tokenCreators?.[account] ?? []).includes(caller)) {
          return googleError(
            res,
            403,
            "PERMISSION_DENIED",
            "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
          );
        }
        return sendJson(res, 200, { accessToken: issue(account), expireTime: new Date(Date.now() + ttl * 1000).toISOString() });
      }
      sendJson(res, 404, { error: { code: 404, message: "Not found", status: "NOT_FOUND" } });
    },
    options.tls ? serverTls : undefined,
  );
  return {
    ...fake,
    tokenUrl: `${fake.url}/v1/token`,
    impersonationUrl: (account) => `${fake.url}/v1/projects/-/serviceAccounts/${account}:generateAccessToken`,
    principalOf,
    faults,
  };
}

import { createRequire } from "node:module";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { crc32c } from "@/lib/providers/gcp-sm/crc32c";
import { FaultQueue } from "./http";
import { startTcpProxy } from "../tcp-proxy";
import { serverTls } from "./tls";

/**
 * GCP Secret Manager over gRPC: a @grpc/grpc-js server built from the service.proto that ships
 * in the SDK, implementing AccessSecretVersion. Records each call's name and metadata (the
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
  method: "AccessSecretVersion";
  name: string;
  authorization: string | undefined;
  metadata: Record<string, unknown>;
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

export async function startGcpFake(options: { tls?: boolean } = {}): Promise<GcpFake> {
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

  const server = new grpc.Server();
  server.addService(proto.google.cloud.secretmanager.v1.SecretManagerService.service, {
    accessSecretVersion: async (call: grpc.ServerUnaryCall<{ name: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const name = call.request.name;
      requests.push({ method: "AccessSecretVersion", name, authorization: call.metadata.get("authorization")[0]?.toString(), metadata: call.metadata.getMap() });
      const fault = faults.take();
      if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault?.reset) return proxyReset();
      if (call.cancelled) return;
      if (fault?.code !== undefined) return callback({ code: fault.code, details: `fault ${grpc.status[fault.code]}` });
      const match = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+)$/.exec(name);
      const versions = match ? secrets.get(`projects/${match[1]}/secrets/${match[2]}`) : undefined;
      const number = match?.[3] === "latest" ? (versions?.length ?? 0) : Number(match?.[3]);
      const data = versions?.[number - 1];
      if (!match || !data) return callback({ code: grpc.status.NOT_FOUND, details: `Secret Version [${name}] not found.` });
      if (fault?.noPayload) return callback(null, { name });
      const checksum = crc32c(data) + (fault?.badCrc ? 1 : 0);
      callback(null, { name: `projects/${match[1]}/secrets/${match[2]}/versions/${number}`, payload: { data, dataCrc32c: String(checksum) } });
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

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdapterContext, ProviderAdapter } from "@/lib/providers/adapter";
import { awsSmAdapter } from "@/lib/providers/aws-sm/adapter";
import { azureKvAdapter } from "@/lib/providers/azure-kv/adapter";
import { gcpSmAdapter } from "@/lib/providers/gcp-sm/adapter";
import { guardedLookup, resolveAllowed, type ResolveHost } from "@/lib/providers/upstream/guarded-lookup";
import { MAX_REPLY_BYTES } from "@/lib/providers/upstream/reply-size";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { AWS_REGION, startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { startGcpFake, type GcpFake } from "../support/fakes/gcp";
import { trustTestCa } from "../support/fakes/tls";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { appErrorFrom, expectNoCredentials } from "./support/app-errors";
import { makeServiceAccount } from "./support/service-account";
import { resolverAnswering } from "../support/resolver";

/**
 * Outbound safety for every provider (issue: outbound safety): a host name that resolves to a
 * cloud metadata address is refused after DNS, redirects are not followed to another host, and
 * oversized replies are cut off with a provider_error. The real SDKs run against the local fakes;
 * DNS answers come from an injected resolver (and the system one for `localhost`).
 */
const VAULT_TOKEN = "hvs.outbound-safety-token-0123456789";
const AWS_KEY = "AKIAOUTBOUNDSAFETY01";
const AWS_SECRET = "outbound/safety/aws/secret/key/0123456789";
const AZURE = {
  tenant: "72f988bf-0000-4000-8000-outbound0001",
  clientId: "0f1e2d3c-4b5a-4978-8697-0utb0und0001",
  secret: "Xy8Q~outbound-safety-client-secret",
};
const PROJECT = "outbound-safety";
const account = makeServiceAccount(PROJECT);
const CREDENTIALS = [VAULT_TOKEN, AWS_SECRET, AZURE.secret, account.privateKeyPem];
const OVERSIZE = "x".repeat(MAX_REPLY_BYTES + 1024);

let vault: VaultFake;
let aws: AwsFake;
let azure: AzureFake;
let gcp: GcpFake;
let connection = 0;

beforeAll(async () => {
  trustTestCa();
  [vault, aws, azure, gcp] = await Promise.all([
    startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } }),
    startAwsFake({ [AWS_KEY]: AWS_SECRET }),
    startAzureFake({ tenantId: AZURE.tenant, clients: { [AZURE.clientId]: AZURE.secret } }),
    startGcpFake(),
  ]);
  vault.putSecret("secret/app", { value: "vault-ok" });
  vault.putSecret("secret/huge", { value: OVERSIZE });
  aws.putSecret("app", "aws-ok");
  aws.putSecret("huge", OVERSIZE);
  azure.putSecret("app", "azure-ok");
  azure.putSecret("huge", OVERSIZE);
  gcp.putSecret(PROJECT, "app", "gcp-ok");
  gcp.putSecret(PROJECT, "huge", OVERSIZE);
});
afterAll(async () => {
  await Promise.all([vault?.close(), aws?.close(), azure?.close(), gcp?.close()]);
});

const port = (url: string) => new URL(url).port;

/** Each provider, with every setting its fake needs, pointed at `baseUrl` (http://host:port). */
interface Provider {
  name: string;
  adapter: ProviderAdapter;
  configAt: (baseUrl: string) => Record<string, string>;
  /** The provider's own fake, reached through the host name `host`. */
  fakeUrl: (host: string) => string;
  path: string;
  value: string;
  requestsSeen: () => number;
}
const PROVIDERS: Provider[] = [
  {
    name: "HashiCorp Vault",
    adapter: vaultAdapter,
    configAt: (baseUrl) => ({ vaultUrl: baseUrl, token: VAULT_TOKEN }),
    fakeUrl: (host) => `http://${host}:${port(vault.url)}`,
    path: "secret/app",
    value: "vault-ok",
    requestsSeen: () => vault.requests.length,
  },
  {
    name: "AWS Secrets Manager",
    adapter: awsSmAdapter,
    configAt: (baseUrl) => ({ region: AWS_REGION, accessKeyId: AWS_KEY, secretAccessKey: AWS_SECRET, endpoint: baseUrl }),
    fakeUrl: (host) => `http://${host}:${port(aws.url)}`,
    path: "app",
    value: "aws-ok",
    requestsSeen: () => aws.requests.length,
  },
  {
    name: "Azure Key Vault",
    adapter: azureKvAdapter,
    configAt: (baseUrl) => ({
      vaultUrl: baseUrl,
      tenantId: AZURE.tenant,
      clientId: AZURE.clientId,
      clientSecret: AZURE.secret,
      authorityHost: azure.authorityUrl,
    }),
    fakeUrl: (host) => `http://${host}:${port(azure.vaultUrl)}`,
    path: "app",
    value: "azure-ok",
    requestsSeen: () => azure.vault.requests.length,
  },
  {
    name: "GCP Secret Manager",
    adapter: gcpSmAdapter,
    // apiEndpoint is host:port; http:// asks for plain-text gRPC, as the fake speaks.
    configAt: (baseUrl) => ({ projectId: PROJECT, serviceAccountJson: account.json, apiEndpoint: baseUrl }),
    fakeUrl: (host) => `http://${host}:${gcp.endpoint.split(":")[1]}`,
    path: "app",
    value: "gcp-ok",
    requestsSeen: () => gcp.requests.length,
  },
];
const HTTP_PROVIDERS = PROVIDERS.filter((provider) => provider.name !== "GCP Secret Manager");
const configFor = (provider: Provider, host: string) => provider.configAt(provider.fakeUrl(host));

function context(config: Record<string, string>, resolveHost?: ResolveHost): AdapterContext {
  return { connectionKey: `outbound-${++connection}:1`, config, timeoutMs: 5_000, ...(resolveHost ? { resolveHost } : {}) };
}

describe("the resolve-then-check rule", () => {
  it.each([["169.254.169.254"], ["169.254.170.2"], ["fd00:ec2::254"], ["::ffff:169.254.169.254"]])(
    "refuses a name that resolves to %s",
    async (address) => {
      await expect(resolveAllowed("innocent.example", resolverAnswering(address))).rejects.toMatchObject({
        code: "EPROVENANCE_METADATA_ADDRESS",
        message: "innocent.example resolves to a link-local metadata address",
      });
    },
  );

  it("refuses when any one of several addresses is a metadata address", async () => {
    await expect(resolveAllowed("mixed.example", resolverAnswering("203.0.113.10", "169.254.169.254"))).rejects.toMatchObject({
      code: "EPROVENANCE_METADATA_ADDRESS",
    });
  });

  it("passes ordinary addresses through, honouring the family and all options", async () => {
    const lookup = guardedLookup(resolverAnswering("203.0.113.10", "2001:db8::1"));
    const ask = (options: Parameters<typeof lookup>[1]) =>
      new Promise<unknown>((resolve, reject) =>
        lookup("ok.example", options, (error, address, family) =>
          error ? reject(error) : resolve(options.all ? address : { address, family }),
        ),
      );
    expect(await ask({})).toEqual({ address: "203.0.113.10", family: 4 });
    expect(await ask({ family: 6 })).toEqual({ address: "2001:db8::1", family: 6 });
    expect(await ask({ all: true })).toEqual([
      { address: "203.0.113.10", family: 4 },
      { address: "2001:db8::1", family: 6 },
    ]);
  });

  it("runs against the system resolver for real: localhost resolves and passes", async () => {
    expect((await resolveAllowed("localhost")).map((entry) => entry.address)).toContain("127.0.0.1");
  });
});

describe.each(PROVIDERS)("$name: DNS answers are checked before connecting", (provider) => {
  it("reads through a host name the system resolver resolves (localhost)", async () => {
    const secret = await provider.adapter.fetchSecret({ ...context(configFor(provider, "localhost")), path: provider.path });
    expect(secret.value).toBe(provider.value);
  });

  it("refuses the same host name when DNS answers with a metadata address, and sends nothing", async () => {
    const resolver = resolverAnswering("169.254.169.254");
    const before = provider.requestsSeen();
    const error = await appErrorFrom(
      provider.adapter.fetchSecret({ ...context(configFor(provider, "localhost"), resolver), path: provider.path }),
    );
    expect(error).toMatchObject({ code: "provider_error", status: 502 });
    expect(error.message).toBe(
      `${provider.name}: localhost resolves to a link-local metadata address; cloud metadata endpoints are never contacted`,
    );
    expect(error.extra.upstreamCode).toBe("EPROVENANCE_METADATA_ADDRESS");
    expect(resolver.asked).toContain("localhost");
    expect(provider.requestsSeen()).toBe(before);
    expectNoCredentials(error, CREDENTIALS);
  });

  // grpc-js resolves names itself (GCP is checked before the call instead), so only the HTTP
  // providers can be pointed at a name only the injected resolver knows.
  it.skipIf(provider.name === "GCP Secret Manager")(
    "connects to the address the injected resolver gives (the check is on the connection itself)",
    async () => {
      const secret = await provider.adapter.fetchSecret({
        ...context(configFor(provider, "provider.invalid"), resolverAnswering("127.0.0.1")),
        path: provider.path,
      });
      expect(secret.value).toBe(provider.value);
    },
  );
});

// Node connects to a literal address without asking `lookup`; 0.0.0.0 (CONTRACT: 0.0.0.0/8 is
// never reached) connects to this host, where the fakes listen, so a missing check would show.
describe.each(PROVIDERS)("$name: literal metadata addresses are refused at connect time too", (provider) => {
  it.each(["0.0.0.0", "[::ffff:0.0.0.0]"])(
    "refuses %s (as a connection saved before the rule would hold it), and sends nothing",
    async (host) => {
      const before = provider.requestsSeen();
      const error = await appErrorFrom(provider.adapter.fetchSecret({ ...context(configFor(provider, host)), path: provider.path }));
      expect(error).toMatchObject({ code: "provider_error", extra: { upstreamCode: "EPROVENANCE_METADATA_ADDRESS" } });
      expect(provider.requestsSeen()).toBe(before);
      expectNoCredentials(error, CREDENTIALS);
    },
  );
});

describe("Azure Key Vault: the sign-in authority is checked too", () => {
  it("refuses an authority host that resolves to a metadata address, and asks it for no token", async () => {
    const before = azure.tokenRequests.length;
    const config = { ...configFor(PROVIDERS[2]!, "127.0.0.1"), authorityHost: `https://login.invalid:${port(azure.authorityUrl)}` };
    const error = await appErrorFrom(azureKvAdapter.fetchSecret({ ...context(config, resolverAnswering("169.254.169.254")), path: "app" }));
    expect(error.code).toBe("provider_error");
    expect(azure.tokenRequests.length).toBe(before);
    expectNoCredentials(error, CREDENTIALS);
  });
});

/** A server on 127.0.0.1 that answers everything with `respond`; `hits` counts the requests. */
async function startRawServer(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on("end", () => respond(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("redirects to another host are not followed", () => {
  // The other host is the provider's own fake under another name: were the redirect followed,
  // the fake would see the request (and its credentials) and the read would succeed.
  // (gRPC has no redirects.)
  it.each(HTTP_PROVIDERS)("$name", async (provider) => {
    const redirector = await startRawServer((req, res) => {
      res.writeHead(307, { location: `${provider.fakeUrl("localhost")}${req.url ?? "/"}` });
      res.end();
    });
    try {
      const before = provider.requestsSeen();
      const error = await appErrorFrom(
        provider.adapter.fetchSecret({ ...context(provider.configAt(redirector.url)), path: provider.path }),
      );
      expect(error.code).toBe("provider_error");
      expect(error.message).toMatch(new RegExp(`^${provider.name}: redirected (instead of answering|to another host)`));
      expect(redirector.hits()).toBeGreaterThanOrEqual(1);
      expect(provider.requestsSeen()).toBe(before);
      expectNoCredentials(error, CREDENTIALS);
    } finally {
      await redirector.close();
    }
  });
});

describe("oversized replies are cut off", () => {
  it.each(PROVIDERS)("$name: a secret larger than the cap, in the provider's own protocol", async (provider) => {
    const error = await appErrorFrom(
      provider.adapter.fetchSecret({ ...context(configFor(provider, "127.0.0.1")), path: provider.path.replace(/app$/, "huge") }),
    );
    expect(error).toMatchObject({ code: "provider_error", status: 502 });
    expect(error.message).toMatch(new RegExp(`^${provider.name}: the reply .* is larger than ${MAX_REPLY_BYTES} bytes$`));
    expect(error.message).not.toContain("xxxx");
    // The same connection still reads a normal secret afterwards.
    expect((await provider.adapter.fetchSecret({ ...context(configFor(provider, "127.0.0.1")), path: provider.path })).value).toBe(
      provider.value,
    );
  });

  it.each(HTTP_PROVIDERS)("$name: an endless reply without Content-Length is cut off as it streams in", async (provider) => {
    let written = 0;
    const flood = await startRawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        // Far past the cap, but bounded so a failing test cannot fill the machine.
        while (written < 16 * MAX_REPLY_BYTES) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => (written = Infinity));
      pump();
    });
    try {
      const error = await appErrorFrom(provider.adapter.fetchSecret({ ...context(provider.configAt(flood.url)), path: provider.path }));
      expect(error.code).toBe("provider_error");
      expect(error.message).toMatch(new RegExp(`^${provider.name}: the reply .* is larger than ${MAX_REPLY_BYTES} bytes$`));
    } finally {
      await flood.close();
    }
  });
});

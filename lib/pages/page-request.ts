import type { IncomingMessage } from "node:http";
import type { GetServerSideProps, GetServerSidePropsContext } from "next";
import { nonceOfPolicy } from "@/lib/api/security-headers";
import type { Loaded, PageRequest } from "./dashboard-lists";
import { pageLoaders, type PageLoaders } from "./page-data";

/**
 * getServerSideProps for a dashboard page without React: its loader's props and this response's
 * CSP nonce, or the sign-in page for a visitor without a live session.
 */
export function dashboardPageProps<Props>(
  loader: (loaders: PageLoaders) => (request: PageRequest) => Promise<Loaded<Props>>,
): GetServerSideProps<Props & { nonce: string | null }> {
  return async (context) => {
    const loaded = await loader(pageLoaders())(pageRequest(context));
    if ("signIn" in loaded) return { redirect: { destination: "/login", permanent: false } };
    return { props: { ...loaded.props, nonce: requestNonce(context.req) } };
  };
}

/** A Pages Router request as the page loaders read it (lib/pages/dashboard-lists.ts). */
function pageRequest({ req, query }: GetServerSidePropsContext): PageRequest {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return { headers, cookie: (name) => req.cookies[name], query };
}

/** This request's CSP nonce (proxy.ts), for our own scripts: 'strict-dynamic' ignores 'self'. */
export function requestNonce(request: IncomingMessage): string | null {
  const policy = request.headers["content-security-policy"];
  return nonceOfPolicy(Array.isArray(policy) ? policy[0] : policy);
}

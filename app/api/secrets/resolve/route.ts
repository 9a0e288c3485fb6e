import { otherMethods } from "@/lib/api/route";
import { resolveEndpoint } from "@/lib/api/resolve-endpoint";

// On a Node server, bearer-token resolves are answered by the fast path before they get here
// (lib/api/fast-path.ts); signed-in users and serverless hosts come through this route.
export const GET = resolveEndpoint.GET;
export const POST = resolveEndpoint.POST;

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");

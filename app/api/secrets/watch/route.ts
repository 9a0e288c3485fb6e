import { otherMethods } from "@/lib/api/route";
import { watchEndpoint } from "@/lib/api/watch-endpoint";

// A stream that stays open: never prerendered or cached.
export const dynamic = "force-dynamic";

export const GET = watchEndpoint.GET;

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");

import { OutboundGetError, outboundGet } from "@/lib/providers/upstream/outbound-get";

/**
 * One GET a notification makes the server send (the SNS signing certificate, the SNS subscription
 * confirmation), under the outbound rules of `outboundGet`, at most 64 KiB. Throws an Error whose
 * message says what went wrong ("the SNS signing certificate answered HTTP 404").
 */
const MAX_BYTES = 64 * 1024;

export async function fetchOutbound(url: string, what: string): Promise<Buffer> {
  try {
    return await outboundGet(url, { maxBytes: MAX_BYTES });
  } catch (error) {
    if (error instanceof OutboundGetError) throw new Error(`the ${what} ${error.reason}`);
    throw error;
  }
}

import { decryptFile, WeComApiClient } from '@wecom/aibot-node-sdk';
import type { Logger } from '../log';
import type { MediaFetcher } from '../protocol/inbound';

/**
 * Images and files people send come as a URL valid 5 minutes with a per-URL key (PROTOCOL.md §1d): fetched with the
 * SDK's own download client and decrypted with its `decryptFile` (AES-256-CBC, IV = first 16 key bytes, PKCS#7 to 32),
 * the two halves of `WSClient.downloadFile`. Each download has 20 s, well inside the URL's minutes.
 */
export function mediaFetcher(logger: Logger): MediaFetcher {
  const api = new WeComApiClient(sdkLogger(logger), 20_000);
  return {
    async download(url, aeskey) {
      const { buffer } = await api.downloadFileRaw(url);
      return aeskey ? decryptFile(buffer, aeskey) : buffer;
    },
  };
}

function sdkLogger(logger: Logger) {
  return {
    debug: (message: string) => logger.debug({ sdk: true }, message),
    info: (message: string) => logger.debug({ sdk: true }, message),
    warn: (message: string) => logger.warn({ sdk: true }, message),
    error: (message: string) => logger.warn({ sdk: true }, message),
  };
}

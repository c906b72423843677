import { createContext, useContext } from "react";

/**
 * The per-response CSP nonce (set by app/entry.server.tsx), for Remix's inline scripts.
 * Undefined in the browser: browsers hide nonces from the DOM, and Remix's script elements
 * suppress the hydration warning for it.
 */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}

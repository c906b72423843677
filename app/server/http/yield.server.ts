/**
 * Cooperative yielding for a request whose work is long for the one Node thread (an office's
 * list of 1,500 files: 15-20 ms of queries and rendering).
 *
 * `await yieldToRequests()` between two parts of such work lets the requests that arrived meanwhile
 * go first: the first setImmediate lets the poll phase read them (an answer save's body, its
 * session), the second lets their own setImmediate work run (the save's group commit,
 * save-batch.server.ts) before this request goes on. A save on the same process then waits for
 * one part of the page, not for all of it. Costs the page two turns of the event loop (µs when idle).
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function yieldToRequests(): Promise<void> {
  await turn();
  await turn();
}

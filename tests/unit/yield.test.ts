/** yieldToRequests (app/server/http/yield.server.ts): what arrived meanwhile, and the commit it queues, run first. */
import { describe, expect, it } from "vitest";
import { yieldToRequests } from "~/server/http/yield.server";

describe("yieldToRequests", () => {
  it("lets a request that is waiting, and the setImmediate work it queues (a save's group commit), run before the page goes on", async () => {
    const order: string[] = [];
    // A save whose request is being read when the page yields: it queues its commit for the next turn.
    setImmediate(() => {
      order.push("save read");
      setImmediate(() => order.push("save committed"));
    });
    await yieldToRequests();
    order.push("page goes on");
    expect(order).toEqual(["save read", "save committed", "page goes on"]);
  });
});

/**
 * A real HTTP server for boundary tests, built like scripts/serve.mjs (express, the same
 * httpGuards() and createRemixHandler) but on a Remix build assembled from the app's own modules
 * (entry.server, root and a few routes), so no `npm run build` is needed.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import express from "express";
import type { ServerBuild } from "@remix-run/node";
import * as entry from "~/entry.server";
import * as root from "~/root";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as save from "~/routes/danh-gia.$id.luu";
import * as evidenceUpload from "~/routes/danh-gia.$id.minh-chung";
import * as evidenceDownload from "~/routes/minh-chung.$evidenceId";

type RouteModule = Record<string, unknown>;
interface RouteDef {
  id: string;
  parentId?: string;
  path?: string;
  module: RouteModule;
}

/** The app's routes that the boundary tests reach, plus any extra test routes (children of root). */
export function testBuild(extra: Record<string, RouteModule> = {}): ServerBuild {
  const defs: RouteDef[] = [
    { id: "root", path: "", module: root },
    { id: "routes/login", parentId: "root", path: "login", module: login },
    { id: "routes/logout", parentId: "root", path: "logout", module: logout },
    { id: "routes/danh-gia.$id.luu", parentId: "root", path: "danh-gia/:id/luu", module: save },
    { id: "routes/danh-gia.$id.minh-chung", parentId: "root", path: "danh-gia/:id/minh-chung", module: evidenceUpload },
    { id: "routes/minh-chung.$evidenceId", parentId: "root", path: "minh-chung/:evidenceId", module: evidenceDownload },
    ...Object.entries(extra).map(([path, module]) => ({ id: `routes/test-${path}`, parentId: "root", path, module })),
  ];
  const routes = Object.fromEntries(defs.map((d) => [d.id, d]));
  const assets = {
    version: "test",
    url: "/build/manifest-test.js",
    entry: { module: "/build/entry.client-test.js", imports: [] },
    routes: Object.fromEntries(
      defs.map((d) => [
        d.id,
        {
          id: d.id,
          parentId: d.parentId,
          path: d.path,
          module: `/build/${d.id}.js`,
          imports: [],
          hasAction: typeof d.module.action === "function",
          hasLoader: typeof d.module.loader === "function",
          hasClientAction: false,
          hasClientLoader: false,
          hasErrorBoundary: typeof d.module.ErrorBoundary === "function",
        },
      ]),
    ),
  };
  return {
    mode: "production",
    entry: { module: entry },
    routes,
    assets,
    publicPath: "/build/",
    assetsBuildDirectory: "build/public/build",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

export interface TestServer {
  port: number;
  origin: string;
  close(): Promise<void>;
}

/** express + the production guards + the bounded Remix handler, listening on 127.0.0.1:<random>. */
export async function startTestServer(build: ServerBuild = testBuild()): Promise<TestServer> {
  const app = express();
  app.disable("x-powered-by");
  app.use(...entry.httpGuards());
  // The answer save in front of Remix, as scripts/serve.mjs mounts it.
  app.use(entry.saveEndpoint());
  app.all("*", entry.createRemixHandler({ build, mode: "production", getLoadContext: () => ({ clientIp: "127.0.0.1" }) }));
  // The save's own door in front of express's router, as scripts/serve.mjs listens.
  const server = http.createServer(entry.withFastSave(app, entry.httpGuards()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  /** Header names and values exactly as received (res.rawHeaders), to count repeated headers. */
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Body bytes the client had produced when the response head arrived. */
  sentBeforeResponse: number;
  /** Bytes produced in all. */
  sent: number;
  /** How the connection ended after the response: "end" (FIN from the server), "close", or the socket error code. */
  socketEnd: Promise<"end" | "close" | string>;
  /** The request went over a connection an earlier request had used. */
  reusedSocket: boolean;
}

/** Header values of `name` in a raw header list. */
export function headerValues(raw: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === name.toLowerCase()) out.push(raw[i + 1]);
  return out;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** A body (string/Buffer), a lazily produced stream of `total` bytes, or none. */
  body?: string | Buffer | { total: number; chunk?: number };
  /** Send the headers only and never a byte of the declared body. */
  withholdBody?: boolean;
  /** A keep-alive agent to reuse connections across requests (default: a fresh connection). */
  agent?: http.Agent;
}

/**
 * One request on a fresh connection. A generated body is produced chunk by chunk (never allocated
 * whole) and stops as soon as the response head arrives, like a client that reads the early answer.
 */
export function rawRequest(port: number, r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let produced = 0;
    let stop = false;
    const agent = r.agent ?? new http.Agent({ keepAlive: false });
    const req = http.request({ host: "127.0.0.1", port, method: r.method ?? "GET", path: r.path, headers: r.headers, agent });
    let socketEndResolve!: (v: string) => void;
    const socketEnd = new Promise<string>((res) => (socketEndResolve = res));
    req.on("socket", (s) => {
      s.once("end", () => socketEndResolve("end"));
      s.once("error", (e: NodeJS.ErrnoException) => socketEndResolve(e.code ?? e.message));
      s.once("close", () => socketEndResolve("close"));
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      // Writing after the server refused and closed is expected; only fail before a response.
      if (!responded) reject(e);
    });
    let responded = false;
    req.on("response", (res) => {
      responded = true;
      stop = true;
      const sentBeforeResponse = produced;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        resolve({
          status: res.statusCode ?? 0,
          rawHeaders: res.rawHeaders,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          sentBeforeResponse,
          get sent() {
            return produced;
          },
          socketEnd: socketEnd as RawResponse["socketEnd"],
          reusedSocket: req.reusedSocket,
        });
      });
      res.on("error", reject);
    });
    if (r.withholdBody) {
      req.flushHeaders();
      return;
    }
    if (r.body === undefined) return void req.end();
    if (typeof r.body === "string" || Buffer.isBuffer(r.body)) {
      produced = Buffer.byteLength(r.body);
      return void req.end(r.body);
    }
    const { total, chunk = 64 * 1024 } = r.body;
    const block = Buffer.alloc(chunk, "a");
    const source = new Readable({
      read() {
        if (stop || produced >= total) return void this.push(null);
        const n = Math.min(chunk, total - produced);
        produced += n;
        this.push(n === chunk ? block : block.subarray(0, n));
      },
    });
    source.pipe(req);
  });
}

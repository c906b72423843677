// npm run demo: builds if needed, uses a separate demo database, seeds the demo province, serves on PORT (default 3000).
process.env.DATABASE_PATH ||= "data/demo.sqlite";
// The demo is served over plain http on this machine: cookies cannot be Secure there.
process.env.COOKIE_SECURE ||= "false";
const { startServer } = await import("./serve.mjs");
const server = await startServer({ demo: true });
if (server) {
  console.log("Tài khoản demo (mật khẩu: matkhau-demo): admin, so.demo, phong.demo, truong.th1, giaovien.th1");
}

// A @resonatehq/sdk application for the end-to-end tests, run unmodified against the
// server (Node 20+, the SDK installed by the test fixture).
//
//   node app.mjs worker URL GROUP PID     a worker process (prints "ready")
//   node app.mjs run URL ID FUNC ARGS_JSON run here (worker and caller in one), print the result
//   node app.mjs call URL ID FUNC ARGS_JSON rpc to group "workers", print the result
import { Resonate } from "@resonatehq/sdk";

// The SDK uses Promise.withResolvers (Node 22); this gives Node 20 the same.
Promise.withResolvers ??= function () {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

function* double(ctx, n) {
  return n * 2;
}

function* remoteAdd(ctx, a, b) {
  return { sum: a + b, worker: process.pid };
}

function* workflow(ctx, n) {
  const doubled = yield* ctx.run(double, n);
  const added = yield* ctx.rpc("remoteAdd", doubled, 1, ctx.options({ target: "remote" }));
  yield* ctx.sleep(300);
  return { doubled, added: added.sum, remoteWorker: added.worker };
}

function* fanout(ctx, n) {
  const futures = [];
  for (let i = 0; i < n; i++) {
    futures.push(yield* ctx.beginRpc("double", i, ctx.options({ target: "workers" })));
  }
  let total = 0;
  for (const future of futures) total += yield* future;
  return total;
}

function registerAll(resonate) {
  resonate.register("double", double);
  resonate.register("remoteAdd", remoteAdd);
  resonate.register("workflow", workflow);
  resonate.register("fanout", fanout);
}

const [mode, url, ...rest] = process.argv.slice(2);
if (mode === "worker") {
  const [group, pid] = rest;
  const resonate = new Resonate({ url, group, pid, ttl: 5000 });
  registerAll(resonate);
  console.log("ready");
} else if (mode === "run" || mode === "call") {
  const [id, func, args] = rest;
  const resonate = new Resonate({ url, group: mode === "run" ? "runner" : "client" });
  registerAll(resonate);
  const parsed = JSON.parse(args);
  const result =
    mode === "run"
      ? await resonate.run(id, func, ...parsed)
      : await resonate.rpc(id, func, ...parsed, resonate.options({ target: "workers" }));
  console.log(JSON.stringify({ result }));
  process.exit(0);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

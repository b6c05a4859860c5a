// The graphile-worker peer of Hookline's delivery benchmark (docs/BENCHMARK.md, scenario "peer").
//
// A webhook sender built the way a team would build one on graphile-worker, tuned as its performance page tunes it:
// one job per delivery, 32 concurrent jobs, the local queue (jobs fetched and locked in batches), batched completion
// and failure, and Node's keep-alive HTTP agent. Each job POSTs the same signed request as Hookline sends (the event
// body, X-Hookline-Signature, Standard Webhooks webhook-id/-timestamp/-signature) to the bench's receiver, which
// verifies every signature.
//
// Driven by the bench over stdin/stdout, one JSON object per line on stdout (logs go to stderr):
//   prepare <tag> <n>   adds n jobs with one bulk addJobs call (the workers are not running): {"event":"prepared",...}
//   run <tag> <n>       starts the worker pool, waits until n jobs succeeded, stops it gracefully (which flushes the
//                       batched completions) and counts the jobs left in the table: {"event":"done",...}
//   quit                exits
//
// Environment: DATABASE_URL (its own database), PEER_URL (the receiver endpoint), PEER_SECRET (whsec_...),
// PEER_CONCURRENCY (32), PEER_LOCAL_QUEUE (500), PEER_COMPLETE_BATCH_DELAY_MS (0), PEER_POOL (concurrency + 2).

import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import readline from "node:readline";
import { Logger, makeWorkerUtils, run, runMigrations } from "graphile-worker";

const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === "" ? fallback : process.env[name]);
const connectionString = env("DATABASE_URL");
const target = new URL(env("PEER_URL"));
const secret = env("PEER_SECRET");
const concurrency = Number(env("PEER_CONCURRENCY", "32"));
const localQueueSize = Number(env("PEER_LOCAL_QUEUE", "500"));
const batchDelay = Number(env("PEER_COMPLETE_BATCH_DELAY_MS", "0"));
const poolSize = Number(env("PEER_POOL", String(Math.max(10, concurrency + 2))));
const PAD = "x".repeat(950);
const hexKey = Buffer.from(secret, "utf8");
const standardKey = Buffer.from(secret.substring("whsec_".length), "base64");

// graphile-worker logs every job at info level; a tuned deployment keeps warnings and errors only
const logger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") {
    process.stderr.write(`[graphile-worker ${level}] ${message}\n`);
  }
});

const preset = {
  worker: {
    connectionString,
    concurrentJobs: concurrency,
    maxPoolSize: poolSize,
    pollInterval: 2000,
    preparedStatements: true,
    logger,
    localQueue: { size: localQueueSize },
    completeJobBatchDelay: batchDelay,
    failJobBatchDelay: batchDelay,
  },
};

// one keep-alive connection per concurrent job, as Hookline keeps a pool per host
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });

const state = { ok: 0, errors: 0, firstSend: 0, lastOk: 0, bodyBytes: 0, onProgress: null };

function post(body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        agent,
        timeout: 10_000,
        headers: { ...headers, "Content-Length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume(); // the answer's body is not needed; reading it frees the socket for the next request
        res.on("end", () => {
          if (res.statusCode >= 200 && res.statusCode < 300) {
            resolve(res.statusCode);
          } else {
            reject(new Error(`receiver answered ${res.statusCode}`));
          }
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout after 10 s")));
    req.on("error", reject);
    req.end(body);
  });
}

/** The task: render the event, sign it both ways, POST it; a non-2xx answer throws, so the job is retried. */
async function deliver(payload) {
  const body = JSON.stringify(payload.event);
  const eventId = payload.event.meta.event_id;
  const timestamp = Math.floor(Date.now() / 1000);
  const standard = crypto.createHmac("sha256", standardKey).update(`${eventId}.${timestamp}.${body}`).digest("base64");
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "graphile-peer/1",
    "X-Hookline-Signature": crypto.createHmac("sha256", hexKey).update(body).digest("hex"),
    "X-Hookline-Delivery": payload.delivery_id,
    "X-Hookline-Event": payload.event.meta.event_type,
    "webhook-id": eventId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${standard}`,
  };
  if (state.firstSend === 0) {
    state.firstSend = performance.now();
  }
  try {
    await post(body, headers);
  } catch (e) {
    state.errors++;
    throw e;
  }
  state.ok++;
  state.lastOk = performance.now();
  state.bodyBytes += Buffer.byteLength(body);
  if (state.onProgress) {
    state.onProgress();
  }
}

function out(object) {
  process.stdout.write(JSON.stringify(object) + "\n");
}

const pad8 = (n) => String(n).padStart(8, "0");

/** The same event body as the bench's SQL backlog for Hookline (BenchDb.beginDue): ~1 KiB. */
function event(tag, seq, occurredAt) {
  return {
    meta: { event_id: `evt_${tag}_${pad8(seq)}`, event_type: "bench.peer", occurred_at: occurredAt },
    data: { seq, pad: PAD },
  };
}

async function prepare(utils, tag, n) {
  const started = performance.now();
  const occurredAt = new Date().toISOString();
  const chunk = 5000;
  for (let from = 0; from < n; from += chunk) {
    const specs = [];
    for (let seq = from; seq < Math.min(n, from + chunk); seq++) {
      specs.push({
        identifier: "deliver",
        payload: { delivery_id: `dlv_${tag}_${pad8(seq)}`, event: event(tag, seq, occurredAt) },
        maxAttempts: 25,
      });
    }
    await utils.addJobs(specs);
  }
  const queued = await count(utils);
  out({ event: "prepared", tag, n, queued, addMs: performance.now() - started });
}

async function count(utils) {
  return utils.withPgClient(async (client) => {
    const { rows } = await client.query("select count(*)::int as n from graphile_worker.jobs");
    return rows[0].n;
  });
}

async function drain(utils, tag, n) {
  Object.assign(state, { ok: 0, errors: 0, firstSend: 0, lastOk: 0, bodyBytes: 0 });
  const started = performance.now();
  let reached;
  const done = new Promise((resolve) => {
    reached = resolve;
  });
  state.onProgress = () => {
    if (state.ok >= n) {
      reached();
    }
  };
  const runner = await run({ preset, taskList: { deliver } });
  const runningAt = performance.now();
  await done;
  state.onProgress = null;
  const stopping = performance.now();
  await runner.stop("drained"); // flushes the batched completions and returns what the local queue still holds
  await runner.promise;
  const stoppedAt = performance.now();
  const left = await count(utils);
  out({
    event: "done",
    tag,
    n,
    ok: state.ok,
    errors: state.errors,
    startMs: runningAt - started,
    firstSendMs: state.firstSend - started,
    lastOkMs: state.lastOk - started,
    stopMs: stoppedAt - stopping,
    jobsLeft: left,
    avgBodyBytes: state.ok ? state.bodyBytes / state.ok : 0,
  });
}

async function main() {
  await runMigrations({ preset });
  const utils = await makeWorkerUtils({ preset });
  const installed = JSON.parse(readFileSync(new URL("./node_modules/graphile-worker/package.json", import.meta.url), "utf8"));
  out({ event: "ready", graphileWorker: installed.version, node: process.version });
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, tag, n] = line.trim().split(/\s+/);
    try {
      if (command === "prepare") {
        await prepare(utils, tag, Number(n));
      } else if (command === "run") {
        await drain(utils, tag, Number(n));
      } else if (command === "quit") {
        break;
      } else if (command) {
        out({ event: "error", message: `unknown command ${command}` });
      }
    } catch (e) {
      out({ event: "error", message: String(e && e.stack ? e.stack : e) });
    }
  }
  await utils.release();
  agent.destroy();
  process.exit(0);
}

main().catch((e) => {
  out({ event: "error", message: String(e && e.stack ? e.stack : e) });
  process.exit(1);
});

// One forked worker that answers queries one at a time, with a watchdog: a query that does not answer
// within its budget (plus a grace period) kills the worker, and the next query starts a fresh one.
// Shared by the conformance runner and the real-rules measure.
'use strict';
const { fork } = require('child_process');

class WorkerRunner {
  /** `name` is used in messages; the worker posts `{ready: true}` once, then answers `{id, …}` per job. */
  constructor({ file, args = [], cwd, name, timeoutMs, graceMs = 2000 }) {
    Object.assign(this, { file, args, cwd, name, timeoutMs, graceMs });
    this.child = null;
    this.restarts = 0;
  }

  async start() {
    this.child = fork(this.file, this.args, { cwd: this.cwd, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    this.child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    await new Promise((resolve, reject) => {
      const onMsg = (m) => {
        if (m && m.ready) {
          this.child.off('message', onMsg);
          resolve();
        }
      };
      this.child.on('message', onMsg);
      this.child.once('exit', (code) =>
        reject(new Error(`${this.name} worker exited during start (code ${code}): ${stderr}`)),
      );
    });
    this.child.removeAllListeners('exit');
  }

  /** Sends `{id, ...job, timeoutMs}`; resolves with the answer, or `{ok: false, crashed | timedOut}`. */
  async run(id, job) {
    if (!this.child) await this.start();
    return new Promise((resolve) => {
      const child = this.child;
      let done = false;
      const finish = (r) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        child.off('message', onMsg);
        child.off('exit', onExit);
        resolve(r);
      };
      const onMsg = (m) => {
        if (m.id === id) finish(m);
      };
      const onExit = (code, signal) => {
        this.child = null;
        this.restarts++;
        finish({ id, ok: false, crashed: true, error: { message: `worker exited (${signal ?? code})` } });
      };
      // The engine's own budget is timeoutMs; the watchdog allows a little more before killing.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        this.child = null;
        this.restarts++;
        finish({ id, ok: false, timedOut: true, error: { message: `no answer within ${this.timeoutMs} ms` } });
      }, this.timeoutMs + this.graceMs);
      child.on('message', onMsg);
      child.once('exit', onExit);
      child.send({ id, ...job, timeoutMs: this.timeoutMs });
    });
  }

  stop() {
    if (this.child) this.child.send({ type: 'exit' });
  }
}

module.exports = { WorkerRunner };

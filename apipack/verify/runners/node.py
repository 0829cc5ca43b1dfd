"""node_request and javascript_xhr snippets: run one after the other in one ``node`` process.

Each snippet runs in its own function scope. The driver hands it a ``require`` whose ``request``
resolves a promise when the snippet's callback has run (node_request), or an ``XMLHttpRequest``
(the npm ``xmlhttprequest`` package, which keeps the browser's forbidden-header rules) that
resolves when the request is done (javascript_xhr). A browser's ``send(FormData)`` is emulated by
serialising the FormData with node's own multipart encoder.
"""

from __future__ import annotations

from pathlib import Path

from apipack.verify.runners.base import MissingToolchainError, Runner

DRIVER = r'''
const fs = require('fs');
const path = require('path');
const MODE = process.env.APIPACK_VERIFY_MODE;
const realRequest = MODE === 'request' ? require('request') : null;
const BaseXHR = MODE === 'xhr' ? require('xmlhttprequest').XMLHttpRequest : null;
const quiet = {log() {}, error() {}, warn() {}, info() {}};

function runCase(file) {
  const code = fs.readFileSync(file, 'utf8');
  return new Promise((resolve, reject) => {
    let fn;
    if (MODE === 'request') {
      const wrapped = (opts, cb) => realRequest(opts, (err, res, body) => {
        try { cb(err, res, body); resolve(); } catch (e) { reject(e); }
      });
      const req = (name) => (name === 'request' ? wrapped : require(name));
      fn = new Function('require', 'console', code);
      fn(req, quiet);
    } else {
      class XHR extends BaseXHR {
        constructor() {
          super();
          this.addEventListener('readystatechange', () => { if (this.readyState === 4) resolve(); });
          // header names are case-insensitive in a browser; the npm package only knows 'Content-Type'
          const origSet = this.setRequestHeader;
          this.setRequestHeader = (name, value) =>
            origSet.call(this, name.toLowerCase() === 'content-type' ? 'Content-Type' : name, value);
          const origSend = this.send;
          this.send = (data) => {
            if (typeof FormData !== 'undefined' && data instanceof FormData) {
              const r = new Response(data);
              r.arrayBuffer().then((buf) => {
                this.setRequestHeader('Content-Type', r.headers.get('content-type'));
                origSend.call(this, Buffer.from(buf));
              }, reject);
            } else {
              origSend.call(this, data);
            }
          };
        }
      }
      fn = new Function('XMLHttpRequest', 'console', code);
      fn(XHR, quiet);
    }
  });
}

process.on('uncaughtException', (e) => { process.stderr.write(`@@UNCAUGHT ${String(e)}\n`); });
(async () => {
  for (const file of process.argv.slice(2)) {
    const cid = path.basename(file, '.js');
    process.stderr.write(`@@START ${cid}\n`);
    try {
      await runCase(file);
      process.stderr.write(`@@END ${cid} ok\n`);
    } catch (e) {
      process.stderr.write(`@@END ${cid} error ${String(e).replace(/\n/g, ' ').slice(0, 200)}\n`);
    }
  }
  process.exit(0);
})();
'''


class _NodeRunner(Runner):
    tools = ("node",)
    extension = ".js"
    mode = ""

    def __init__(self, node_modules: Path | None = None) -> None:
        self.node_modules = node_modules or Path(__file__).resolve().parent.parent / "node" / "node_modules"

    def check_toolchain(self) -> None:
        super().check_toolchain()
        package = "request" if self.mode == "request" else "xmlhttprequest"
        if not (self.node_modules / package).is_dir():
            raise MissingToolchainError(
                f"{self.target}: the npm package {package!r} is not installed in {self.node_modules}; "
                f"run `make node` (npm ci in apipack/verify/node)")

    def command(self, workdir: Path, case_ids: list[str]) -> list[str]:
        (workdir / "_driver.cjs").write_text(DRIVER)
        return ["env", f"NODE_PATH={self.node_modules}", f"APIPACK_VERIFY_MODE={self.mode}",
                "node", "_driver.cjs", *[f"{c}.js" for c in case_ids]]


class NodeRequestRunner(_NodeRunner):
    target = "node"
    install_hint = "Debian package nodejs, then `make node`"
    mode = "request"


class XhrRunner(_NodeRunner):
    target = "javascript"
    install_hint = "Debian package nodejs, then `make node`"
    mode = "xhr"

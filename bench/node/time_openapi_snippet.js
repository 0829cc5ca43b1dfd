// Times node's openapi-snippet 0.14.0 rendering every endpoint of the given specs for API Pack's
// 10 targets, specs already parsed (JSON.parse is timed apart), on one core.
// usage: node time_openapi_snippet.js ROOT < spec-list   (paths relative to ROOT, one a line)
// prints one JSON object: endpoints, rendered, threw, render_s, parse_s, specs, per_spec_s (slowest).
'use strict';
const fs = require('fs');
const path = require('path');
const here = path.resolve(__dirname, '..', '..', 'tests', 'conformance', 'node_modules');
const OpenAPISnippet = require(path.join(here, 'openapi-snippet'));

const TARGETS = ['shell_curl', 'python_python3', 'java_okhttp', 'node_request', 'go_native',
  'ruby_native', 'php_curl', 'swift_nsurlsession', 'c_libcurl', 'javascript_xhr'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const root = process.argv[2];
const list = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
let endpoints = 0, rendered = 0, threw = 0, renderNs = 0n, parseNs = 0n;
const slow = [];
for (const rel of list) {
  const t0 = process.hrtime.bigint();
  let spec;
  try { spec = JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')); } catch (e) { continue; }
  const t1 = process.hrtime.bigint();
  parseNs += t1 - t0;
  for (const p of Object.keys(spec.paths || {})) {
    const item = spec.paths[p] || {};
    for (const m of METHODS) {
      if (!item[m]) continue;
      endpoints++;
      try { OpenAPISnippet.getEndpointSnippets(spec, p, m, TARGETS); rendered++; } catch (e) { threw++; }
    }
  }
  const dt = process.hrtime.bigint() - t1;
  renderNs += dt;
  slow.push([rel, Number(dt) / 1e9]);
}
slow.sort((a, b) => b[1] - a[1]);
process.stdout.write(JSON.stringify({specs: list.length, endpoints, rendered, threw,
  render_s: Number(renderNs) / 1e9, parse_s: Number(parseNs) / 1e9, slowest: slow.slice(0, 3)}) + '\n');

#!/usr/bin/env node
// The conformance reference: node's openapi-snippet 0.14.0 on the given spec files.
//
// usage: node reference.js [--mode snippets|har] [--digest] [--only METHOD PATH] [--root DIR]
//                           [--targets a,b] FILE...   (FILE "-": read the file list from stdin)
//
// For every endpoint (path x method, in document order, on ONE parsed copy of each spec, as a
// caller of getEndpointSnippets would do it) prints one JSON line:
//   {"api_id", "method", "path", "snippets": [{"id", "mimeType"?, "content"}...]}   (mode snippets)
//   {"api_id", "method", "path", "hars": [...]}                                       (mode har)
// or the same with "error": "<message>" when openapi-snippet throws. With --digest each snippet
// carries "sha1" (of its UTF-8 bytes) and "len" instead of "content" (the corpus run: graph.json
// alone would print gigabytes). --only renders just that endpoint (to show a difference). After each spec a line
// {"api_id", "done": true, "ms": N} (or "spec_error" when the file cannot be read) lets a driver
// that kills a slow node process know which specs finished.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const OpenAPISnippet = require('openapi-snippet');
const OpenAPIToHar = require('openapi-snippet/openapi-to-har.js');

const TARGETS = [
  'shell_curl', 'python_python3', 'java_okhttp', 'node_request', 'go_native',
  'ruby_native', 'php_curl', 'swift_nsurlsession', 'c_libcurl', 'javascript_xhr',
];
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function parseArgs(argv) {
  const args = { mode: 'snippets', root: null, targets: TARGETS, files: [], digest: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mode') args.mode = argv[++i];
    else if (a === '--root') args.root = argv[++i];
    else if (a === '--targets') args.targets = argv[++i].split(',');
    else if (a === '--digest') args.digest = true;
    else if (a === '--only') args.only = [argv[++i].toLowerCase(), argv[++i]];
    else if (a === '-') args.files.push(...fs.readFileSync(0, 'utf8').split('\n').filter((l) => l));
    else args.files.push(a);
  }
  return args;
}

function apiIdFor(file, root) {
  const rel = root ? path.relative(root, file) : path.basename(file);
  return rel.split(path.sep).join('/').replace(/\.(json|ya?ml)$/, '');
}

// openapi-snippet writes console.log(err) on some paths; keep stdout for JSON lines only.
console.log = (...a) => process.stderr.write(a.map(String).join(' ') + '\n');
console.warn = () => {};

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  for (const file of args.files) {
    const apiId = apiIdFor(file, args.root);
    const t0 = Date.now();
    let spec;
    try {
      spec = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      out({ api_id: apiId, spec_error: String(e && e.message) });
      continue;
    }
    const paths = spec && typeof spec.paths === 'object' && spec.paths ? spec.paths : {};
    for (const p in paths) {
      const item = paths[p];
      if (!item || typeof item !== 'object') continue;
      for (const m in item) {
        if (!METHODS.has(m)) continue;
        if (args.only && (args.only[0] !== m || args.only[1] !== p)) continue;
        const rec = { api_id: apiId, method: m.toUpperCase(), path: p };
        try {
          if (args.mode === 'har') {
            rec.hars = OpenAPIToHar.getEndpoint(spec, p, m, {});
          } else {
            const res = OpenAPISnippet.getEndpointSnippets(spec, p, m, args.targets);
            rec.snippets = res.snippets.map((s) => {
              const o = { id: s.id };
              if (s.mimeType !== undefined) o.mimeType = s.mimeType;
              if (args.digest) {
                o.sha1 = crypto.createHash('sha1').update(s.content, 'utf8').digest('hex');
                o.len = s.content.length;
              } else {
                o.content = s.content;
              }
              return o;
            });
          }
        } catch (e) {
          rec.error = e instanceof Error ? e.message : String(e);
          // where it threw (file:line of the innermost frames), to sort crashes into classes
          if (e instanceof Error && e.stack) {
            rec.where = e.stack.split('\n').slice(1, 3).map((l) => l.trim().replace(/^.*node_modules\//, '')).join(' < ');
          }
        }
        out(rec);
      }
    }
    out({ api_id: apiId, done: true, ms: Date.now() - t0 });
  }
}

main();

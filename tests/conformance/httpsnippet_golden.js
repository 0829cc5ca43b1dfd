#!/usr/bin/env node
/*
 * Reference outputs of httpsnippet 2.0.0 for the HARs that openapi-snippet 0.14.0 builds.
 *
 * usage: node httpsnippet_golden.js [--out FILE] [--root DIR] SPEC.json...
 *        (a spec path "-" reads spec paths, one a line, from stdin)
 *        node httpsnippet_golden.js --hars FILE [--out FILE]
 *        (FILE: JSON lines {name, har}: hand-written HAR requests, rendered as they are)
 *
 * One JSON line per HAR: {spec, path, method, index, har, outputs: {target_id: text},
 * errors: {target_id: message}, validation: "ok" | "failed"}.
 * `har` is the request exactly as openapi-to-har returned it (before httpsnippet mutates it).
 * Targets are converted in the order of DESIGN.md's table on ONE HTTPSnippet object, as
 * openapi-snippet's getEndpointSnippets does (curl rewrites the multipart content-type header
 * in place, so order matters). When httpsnippet's HAR validation throws ("validation failed"),
 * the HAR is converted again with validation skipped and `validation` says "failed": that is
 * the output our renderer must give for such HARs.
 * Endpoints whose HAR building throws are written as {spec, path, method, har_error}.
 */
'use strict';

const fs = require('fs');
const zlib = require('zlib');
const path = require('path');
const OpenAPIToHar = require('openapi-snippet/openapi-to-har.js');
const HTTPSnippet = require('httpsnippet');
const harValidator = require('har-validator/lib/async');

const TARGETS = [
  'shell_curl', 'python_python3', 'java_okhttp', 'node_request', 'go_native',
  'ruby_native', 'php_curl', 'swift_nsurlsession', 'c_libcurl', 'javascript_xhr',
];
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

// openapi-to-har logs sampler errors with console.log: keep stdout for our JSON lines.
console.log = (...a) => process.stderr.write(a.map(String).join(' ') + '\n');

const realValidate = harValidator.request;
const skipValidate = (data, next) => next(null, true);

function convertAll(har) {
  const outputs = {};
  const errors = {};
  const snippet = new HTTPSnippet(har);
  for (const id of TARGETS) {
    const [language, library] = id.split('_');
    try {
      outputs[id] = snippet.convert(language, library);
    } catch (e) {
      errors[id] = String(e && e.message ? e.message : e);
    }
  }
  return { outputs, errors };
}

function oneHar(har) {
  const frozen = JSON.stringify(har);
  let validation = 'ok';
  let result;
  try {
    result = convertAll(JSON.parse(frozen));
  } catch (e) {
    const message = String(e && e.message ? e.message : e);
    if (message !== 'validation failed') {
      return { har: JSON.parse(frozen), outputs: {}, errors: { all: message }, validation };
    }
    validation = 'failed';
    harValidator.request = skipValidate;
    try {
      result = convertAll(JSON.parse(frozen));
    } catch (e2) {
      result = { outputs: {}, errors: { all: String(e2 && e2.message ? e2.message : e2) } };
    } finally {
      harValidator.request = realValidate;
    }
  }
  return { har: JSON.parse(frozen), outputs: result.outputs, errors: result.errors, validation };
}

function main() {
  const args = process.argv.slice(2);
  let out = null;
  let root = null;
  let harsFile = null;
  const specs = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i];
    else if (args[i] === '--root') root = args[++i];
    else if (args[i] === '--hars') harsFile = args[++i];
    else if (args[i] === '-') {
      specs.push(...fs.readFileSync(0, 'utf8').split('\n').filter(Boolean));
    } else specs.push(args[i]);
  }
  // written in batches (a gzip member per batch when FILE ends in .gz) to bound memory
  let lines = [];
  if (out) fs.writeFileSync(out, '');
  const flush = () => {
    if (!lines.length) return;
    const text = lines.join('\n') + '\n';
    lines = [];
    if (!out) process.stdout.write(text);
    else fs.appendFileSync(out, out.endsWith('.gz') ? zlib.gzipSync(text) : text);
  };
  let pending = 0;
  const emit = (obj) => {
    const line = JSON.stringify(obj);
    lines.push(line);
    pending += line.length;
    // some HARs carry sample bodies of many MB: flush before the batch nears V8's string limit
    if (lines.length >= 500 || pending > 32e6) {
      flush();
      pending = 0;
    }
  };
  if (harsFile) {
    for (const line of fs.readFileSync(harsFile, 'utf8').split('\n').filter(Boolean)) {
      const { name, har } = JSON.parse(line);
      emit({ name, ...oneHar(har) });
    }
  }
  for (const spec of specs) {
    const file = root ? path.join(root, spec) : spec;
    let api;
    try {
      api = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      emit({ spec, spec_error: String(e.message) });
      continue;
    }
    for (const p in api.paths || {}) {
      const item = api.paths[p];
      if (!item || typeof item !== 'object') continue;
      for (const m in item) {
        if (!METHODS.has(m)) continue;
        let hars;
        try {
          hars = OpenAPIToHar.getEndpoint(api, p, m, {});
        } catch (e) {
          emit({ spec, path: p, method: m, har_error: String(e && e.message ? e.message : e) });
          continue;
        }
        hars.forEach((har, index) => {
          try {
            emit({ spec, path: p, method: m, index, ...oneHar(har) });
          } catch (e) {
            // a sample body so large that JSON.stringify hits V8's string limit (docusign, graph)
            emit({ spec, path: p, method: m, index, har_error: 'not serialisable: ' + String(e.message) });
          }
        });
      }
    }
  }
  flush();
}

main();

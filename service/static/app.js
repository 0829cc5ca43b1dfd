// The playground: fills the language and API pickers, posts /generate, shows the answer.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var lastCode = "";

  function headers() {
    var h = { "Content-Type": "application/json" };
    var key = $("key").value.trim();
    if (key) h["Authorization"] = "Bearer " + key;
    return h;
  }
  function showError(message) {
    var box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }
  function errorText(body, status) {
    return body && body.error ? body.error.message + " (" + body.error.type + ")" : "request failed with HTTP " + status;
  }

  function loadLanguages() {
    return fetch("/languages").then(function (r) { return r.json(); }).then(function (body) {
      var select = $("language");
      body.data.forEach(function (t) {
        var opt = document.createElement("option");
        opt.value = t.short; opt.textContent = t.short + " (" + t.target_id + ")";
        if (t.short === "python") opt.selected = true;
        select.appendChild(opt);
      });
    });
  }

  var apiTimer = null;
  function loadApis(q) {
    var url = "/apis?limit=50" + (q ? "&q=" + encodeURIComponent(q) : "");
    fetch(url, { headers: headers() }).then(function (r) { return r.ok ? r.json() : { data: [] }; })
      .then(function (body) {
        var list = $("api-list");
        list.textContent = "";
        body.data.forEach(function (a) {
          var opt = document.createElement("option");
          opt.value = a.id; opt.label = a.name + " — " + a.endpoint_count + " endpoints";
          list.appendChild(opt);
        });
      }).catch(function () { /* the picker stays empty; the request still works without an API */ });
  }

  function render(answer) {
    $("result").hidden = false;
    if (answer.status === "no_match") {
      $("endpoint").textContent = "no endpoint matches this request";
    } else {
      var ep = answer.endpoint || {};
      $("endpoint").textContent = (ep.method || "") + " " + (ep.path || "") +
        (ep.operation_id ? "  (" + ep.operation_id + ")" : "") + (ep.summary ? " — " + ep.summary : "");
    }
    $("api-name").textContent = answer.api ? answer.api.name + " [" + answer.api.id + "]" : "—";
    var check = $("check");
    if (answer.check) {
      check.textContent = answer.check.status + (answer.check.problems.length ? ": " + answer.check.problems.join("; ") : "");
      check.className = answer.check.ok ? "ok" : "bad";
    } else { check.textContent = "not checked"; check.className = ""; }
    $("backend").textContent = answer.backend;
    $("cached").textContent = answer.cached ? "(cached)" : "";
    $("code-lang").textContent = answer.language + " · " + answer.target;
    lastCode = answer.code;
    $("code").innerHTML = window.apipackHighlight(answer.code, answer.language);
    var filled = $("filled"); filled.textContent = "";
    answer.filled.forEach(function (f) {
      var li = document.createElement("li");
      li.textContent = f.location + " " + f.name + " = " + JSON.stringify(f.value) + (f.source ? "  ← “" + f.source + "”" : "");
      filled.appendChild(li);
    });
    $("filled-box").hidden = answer.filled.length === 0;
    var examples = $("examples"); examples.textContent = "";
    answer.examples.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.instruction + "  (score " + e.score.toFixed(3) + ")";
      examples.appendChild(li);
    });
    $("examples-box").hidden = answer.examples.length === 0;
  }

  function submit(event) {
    event.preventDefault();
    showError("");
    var body = { instruction: $("instruction").value, language: $("language").value };
    var api = $("api").value.trim();
    if (api) body.api = api;
    $("go").disabled = true;
    fetch("/generate", { method: "POST", headers: headers(), body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().then(function (b) { if (!r.ok) throw new Error(errorText(b, r.status)); return b; });
      })
      .then(render)
      .catch(function (err) { showError(err.message); })
      .finally(function () { $("go").disabled = false; });
  }

  function copy() {
    var done = function () {
      $("copy").textContent = "Copied";
      setTimeout(function () { $("copy").textContent = "Copy"; }, 1500);
    };
    var fallback = function () {  // plain http on a LAN address, or clipboard permission refused
      var ta = document.createElement("textarea");
      ta.value = lastCode; document.body.appendChild(ta); ta.select();
      document.execCommand("copy"); document.body.removeChild(ta); done();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(lastCode).then(done, fallback);
    } else {
      fallback();
    }
  }

  $("ask").addEventListener("submit", submit);
  $("copy").addEventListener("click", copy);
  $("api").addEventListener("input", function () {
    clearTimeout(apiTimer);
    var q = $("api").value.trim();
    apiTimer = setTimeout(function () { loadApis(q); }, 200);
  });
  $("key").addEventListener("change", function () { loadApis($("api").value.trim()); });  // 401 before a key
  loadLanguages().then(function () { loadApis(""); document.body.dataset.ready = "1"; });
})();

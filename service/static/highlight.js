// A tiny syntax highlighter for the ten targets: strings, comments, numbers, keywords, URLs.
// One left-to-right scan with a combined regex; everything is HTML-escaped first.
(function (global) {
  "use strict";
  var KEYWORDS = {
    python: "import from as def return if else for in with None True False print class",
    curl: "curl",
    java: "new import public class return final null true false String",
    node: "const let var require function return null true false if throw new",
    javascript: "const let var function return null true false if new this",
    go: "package import func var return if nil defer err",
    ruby: "require def end do if nil true false puts new",
    php: "echo if else true false null array",
    swift: "import let var if else nil true false func",
    libcurl: "CURL struct curl_slist NULL"
  };
  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  var TOKEN = new RegExp([
    "(https?:\\/\\/[^\\s\"'\\\\]+)",                  // bare URLs (curl's --url)
    "(\\/\\/[^\\n]*|#(?!include)[^\\n]*)",            // then, after the splice below: 1 comments
    "(\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*')", // 2 strings
    "(\\b\\d+(?:\\.\\d+)?\\b)",                        // 3 numbers
    "([A-Za-z_][A-Za-z0-9_]*)(?=\\s*\\()",            // 4 function calls
    "([A-Za-z_][A-Za-z0-9_]*)"                         // 5 words (keywords checked below)
  ].join("|"), "g");
  function highlight(code, language) {
    var words = {};
    (KEYWORDS[language] || "").split(" ").forEach(function (w) { if (w) words[w] = true; });
    var out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(code)) !== null) {
      out += escapeHtml(code.slice(last, m.index));
      var text = escapeHtml(m[0]);
      if (m[1]) { out += '<span class="hl-url">' + text + "</span>"; last = TOKEN.lastIndex; continue; }
      m.splice(1, 1);  // drop the URL group so the others are numbered 1-5
      if (m[1] && language !== "curl") out += '<span class="hl-com">' + text + "</span>";
      else if (m[1]) out += text;
      else if (m[2]) {
        text = text.replace(/(https?:\/\/[^\s"'\\]+)/g, '<span class="hl-url">$1</span>');
        out += '<span class="hl-str">' + text + "</span>";
      }
      else if (m[3]) out += '<span class="hl-num">' + text + "</span>";
      else if (m[4]) out += words[m[4]] ? '<span class="hl-kw">' + text + "</span>" : '<span class="hl-fn">' + text + "</span>";
      else if (m[5] && words[m[5]]) out += '<span class="hl-kw">' + text + "</span>";
      else out += text;
      last = TOKEN.lastIndex;
      if (m[0].length === 0) TOKEN.lastIndex++;
    }
    return out + escapeHtml(code.slice(last));
  }
  global.apipackHighlight = highlight;
  global.apipackEscape = escapeHtml;
})(window);

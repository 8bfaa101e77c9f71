#!/usr/bin/env node
// Render LaTeX snippets with MathJax 3 and report every error.
//
// stdin:  {"snippets": [{"tex": "...", "display": true}, ...], "packages": [...] (optional)}
// stdout: one entry per snippet, in order: null when it rendered, else the error message;
//         with "mathml": true in the request, each entry is [error or null, MathML or null].
// It converts to MathML (the TeX input is where every error arises) and does not draw.
//
// Strict: a TeX error throws (formatError) instead of being drawn in red; an undefined
// macro is an error (the "noundefined" package is not loaded); a tree that still holds
// an <merror> node, or text that shows a macro by name, is an error. Only the packages
// named are loaded; by default "base", "ams" and "boldsymbol", which GitHub's and
// Jupyter's MathJax both provide (MathJax's own page loads "boldsymbol" on first use).
"use strict";

const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { STATE } = require("mathjax-full/js/core/MathItem.js");
const { SerializedMmlVisitor } = require("mathjax-full/js/core/MmlTree/SerializedMmlVisitor.js");
require("mathjax-full/js/input/tex/AllPackages.js");

function main(request) {
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const tex = new TeX({
    packages: request.packages || ["base", "ams", "boldsymbol"],
    formatError: (jax, error) => {
      throw error;
    },
  });
  const html = mathjax.document("", { InputJax: tex });
  const visitor = new SerializedMmlVisitor();
  const results = request.snippets.map(({ tex: source, display }) => {
    try {
      const tree = html.convert(source, { display: Boolean(display), end: STATE.CONVERT });
      const mathml = visitor.visitTree(tree);
      if (mathml.includes("<merror")) {
        return ["rendered with an error node", mathml];
      }
      // MathJax's text mode knows no macros (without the textmacros package): a macro in
      // \text{} is shown as its name, backslash and all.
      const literal = mathml.match(/<mtext[^>]*>[^<]*\\[^<]*<\/mtext>/);
      if (literal) {
        return ["a macro shown literally in text: " + literal[0], mathml];
      }
      return [null, mathml];
    } catch (error) {
      return [String(error && error.message ? error.message : error), null];
    }
  });
  return request.mathml ? results : results.map(([error]) => error);
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  process.stdout.write(JSON.stringify(main(JSON.parse(input))) + "\n");
});

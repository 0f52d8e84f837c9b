/*
 * Arabic normalisation of search queries, the same folding as generator/arabic.py normalize().
 *
 * The search index carries, for every page, its words in normalised form (the build hook adds
 * them in the "norm" field). Material's search runs in a web worker and receives each query
 * as a message {type: 2 (QUERY), data: "..."} posted with Worker.prototype.postMessage, so the
 * query is folded here on its way out: "السرّاج" becomes "السراج" and "إبريل" becomes "ابريل".
 * Patching the prototype also reaches the worker Material created before this script ran.
 *
 * Each edition has its own index (the hook writes search/search_index.json for the Arabic
 * pages and en/search/search_index.json for the English ones, and points the English pages'
 * search at the latter), so an Arabic reader's results are Arabic pages and an English
 * reader's English pages, and neither downloads the other edition's entries.
 * Local file, no dependencies, no requests.
 */
(function () {
  "use strict";

  var QUERY = 2;
  // diacritics, Quranic marks, tatweel, bidi controls and zero-width characters
  var DROP = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C\u200B-\u200D\uFEFF]/g;
  var FOLD = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
    "\u0649": "\u064A", "\u0629": "\u0647", "\u0624": "\u0648", "\u0626": "\u064A",
    "\u06A9": "\u0643", "\u06CC": "\u064A", "\u066B": "."
  };
  var FOLDABLE = /[\u0623\u0625\u0622\u0671\u0649\u0629\u0624\u0626\u06A9\u06CC\u066B]/g;

  function normalise(query) {
    var text = typeof query.normalize === "function" ? query.normalize("NFC") : query;
    return text
      .replace(DROP, "")
      .replace(FOLDABLE, function (ch) { return FOLD[ch]; })
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .toLowerCase();
  }

  window.explainerNormalise = normalise;

  if (typeof Worker === "undefined") {
    return;
  }
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var args = Array.prototype.slice.call(arguments);
      args[0] = { type: message.type, data: normalise(message.data) };
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };
})();

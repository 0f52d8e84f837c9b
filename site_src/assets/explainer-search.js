/*
 * Arabic normalisation of search queries, the same folding as generator/arabic.py normalize().
 *
 * The search index carries, for every page, its words in normalised form (the build hook adds
 * them in the "norm" field). Material's search runs in a web worker and receives each query
 * as a message {type: 2 (QUERY), data: "..."} posted with Worker.prototype.postMessage, so the
 * query is folded here on its way out: "السرّاج" becomes "السراج" and "إبريل" becomes "ابريل".
 * Patching the prototype also reaches the worker Material created before this script ran.
 *
 * The site's two editions share one search index (mkdocs-static-i18n writes the Arabic pages'
 * entries and the English ones, under "en/", into search/search_index.json). The index reaches
 * the worker the same way, as {type: 0 (SETUP), data: {config, docs, ...}}: its entries are
 * narrowed here to the edition of the page (<html lang>), so that an Arabic reader's results
 * are Arabic pages and an English reader's are English pages.
 * Local file, no dependencies, no requests.
 */
(function () {
  "use strict";

  var SETUP = 0;
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

  // The entries of the page's edition. The editions are the languages of the page's language
  // menu (Material's header); a further edition's entries live under "<lang>/"
  // ("en/actors/gna/"), the primary edition's everywhere else.
  function edition(index) {
    var links = document.querySelectorAll(".md-select__link[hreflang], link[rel=alternate][hreflang]");
    var further = {};
    for (var i = 0; i < links.length; i++) {
      var lang = links[i].getAttribute("hreflang");
      var prefix = lang + "/";
      for (var j = 0; j < index.docs.length; j++) {
        if ((index.docs[j].location || "").indexOf(prefix) === 0) {
          further[lang] = true;
          break;
        }
      }
    }
    var editionOf = function (location) {
      var first = (location || "").split("/")[0];
      return Object.prototype.hasOwnProperty.call(further, first) ? first : "";
    };
    var own = document.documentElement.lang;
    own = Object.prototype.hasOwnProperty.call(further, own) ? own : "";
    var copy = {};
    for (var key in index) {
      if (Object.prototype.hasOwnProperty.call(index, key)) {
        copy[key] = index[key];
      }
    }
    copy.docs = index.docs.filter(function (doc) {
      return editionOf(doc.location) === own;
    });
    return copy;
  }

  window.explainerEditionIndex = edition;

  if (typeof Worker === "undefined") {
    return;
  }
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === SETUP && message.data && Array.isArray(message.data.docs)) {
      var setup = Array.prototype.slice.call(arguments);
      setup[0] = { type: message.type, data: edition(message.data) };
      return post.apply(this, setup);
    }
    if (message && message.type === QUERY && typeof message.data === "string") {
      var args = Array.prototype.slice.call(arguments);
      args[0] = { type: message.type, data: normalise(message.data) };
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };
})();

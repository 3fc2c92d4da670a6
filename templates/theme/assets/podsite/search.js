/* podsite's site search (partials/podsite-search.html), on Pagefind's index in pagefind/.

   - Opens where Material's search does: the header's magnifier, or "/", "s" or "f" anywhere but
     in a text field; Escape closes it. Material's look: its md-search markup and its toggle
     (#__search), without its search code (the markup has no data-md-component).
   - Results as the listener types: title, kind of page, the excerpt with the words marked. The
     browser fetches pagefind.js and its WebAssembly once, then per query only the index chunks
     of the words typed and the fragments of the results shown (5, then 5 more on request). A
     query runs once typing pauses (DEBOUNCE), so a word typed in one go costs one query, not one
     per letter (each of which would fetch its own results' fragments).
   - An episode and its transcript are one result (generator/site/search_index.py puts the
     transcript's paragraphs last in the episode's record, after an anchor #podsite-transcript).
     Words found in the transcript are listed as up to 3 moments: the time ("12:40", from the
     paragraph's anchor #p-N, which is its timestamp link), a link to that paragraph on the
     transcript's page (meta "transcript"), and "Play from here", a [data-podsite-seek] button
     inside a [data-podsite-episode] item: player.js's own seek API. Words found before it (the
     notes) get an excerpt, as any other page's result does, and the result links to the
     section (heading) they are under.
   - Filters (kind, virtue, season, person) come from the index (data-pagefind-filter in the
     page templates, templates/_search.md.j2), fetched when the listener opens them with the
     "Filters" button (every filter's file is a list of pages, which grows with the show); a
     filter with no values stays hidden.
   - Keyboard: ArrowDown/ArrowUp move between the query, the results and their buttons; Enter
     follows a result (in the query: the first one).
   - Text from the index is only ever set as text (excerpts: text nodes and <mark> elements).
   - The header outlives instant navigation: this runs once per visit; every URL is resolved
     when the script starts, against the page it was loaded on. */
(function () {
  "use strict";
  var root = document.querySelector("[data-podsite-search]");
  if (!root || root.hasAttribute("data-podsite-bound")) return;
  root.setAttribute("data-podsite-bound", "");
  var toggle = document.getElementById("__search");
  var form = root.querySelector("form");
  var input = root.querySelector("[data-podsite-search-query]");
  var status = root.querySelector("[data-podsite-search-status]");
  var list = root.querySelector("[data-podsite-search-results]");
  var more = root.querySelector("[data-podsite-search-more]");
  var filterBox = root.querySelector("[data-podsite-search-filters]");
  var filterToggle = root.querySelector("[data-podsite-search-filter-toggle]");
  var output = root.querySelector(".md-search__output"); // inert while closed: no Tab into it
  output.inert = !(toggle && toggle.checked);
  var selects = Array.prototype.slice.call(root.querySelectorAll("[data-podsite-search-filter]"));
  var bundle = new URL(root.getAttribute("data-podsite-pagefind"), location.href).href;
  var PAGE = 5, MOMENTS = 3, EXCERPT_WORDS = 24, DEBOUNCE = 150;
  var pagefind = null; // promise of the Pagefind module, once asked for
  var filtersLoaded = null; // promise of the filters' values, once asked for
  var found = [], shown = 0, asked = 0, timer = null, searched = null;

  function word(name) { return root.getAttribute("data-" + name) || ""; }

  function load() {
    if (!pagefind) {
      pagefind = import(bundle).then(function (module) {
        return Promise.resolve(module.init && module.init()).then(function () { return module; });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  // --- the dialog --------------------------------------------------------------------------------
  function isOpen() { return !!(toggle && toggle.checked); }

  function open() {
    output.inert = false;
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.focus();
    input.select();
    load();
  }

  function close() {
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
    // focus was on a result: it must not stay on a link nobody sees
    if (root.contains(document.activeElement)) document.activeElement.blur();
    output.inert = true;
  }

  function editable(element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  if (toggle) {
    toggle.addEventListener("change", function () {
      output.inert = !toggle.checked;
      if (toggle.checked) { load(); if (document.activeElement !== input) input.focus(); }
    });
  }
  input.addEventListener("focus", function () { if (!isOpen()) open(); });

  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (!isOpen()) {
      if ((event.key === "/" || event.key === "s" || event.key === "f") && !editable(document.activeElement)) {
        event.preventDefault();
        open();
      }
      return;
    }
    if (event.key === "Escape") { event.preventDefault(); close(); return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var stops = [input].concat(Array.prototype.slice.call(
        root.querySelectorAll(".md-search-result a, .md-search-result button:not([hidden])")));
      var at = stops.indexOf(document.activeElement);
      if (at === -1) return;
      event.preventDefault();
      var next = Math.max(0, Math.min(stops.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)));
      stops[next].focus();
    }
  });

  form.addEventListener("submit", function (event) {
    // Enter: the first result of what is typed now (searched at once if typing has not paused)
    event.preventDefault();
    clearTimeout(timer);
    var current = input.value.trim() === searched ? Promise.resolve() : search();
    current.then(function () {
      var first = list.querySelector("a");
      if (first) first.click();
    });
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(); input.focus(); }, 0);
  });
  input.addEventListener("input", function () {
    // still typing: a query already on its way is out of date, its results' fragments are not
    // fetched (on a slow phone a pause mid-word would otherwise cost a page of them)
    clearTimeout(timer);
    asked++;
    searched = null;
    timer = setTimeout(search, DEBOUNCE);
  });
  selects.forEach(function (select) { select.addEventListener("change", search); });
  filterToggle.addEventListener("click", function () {
    var opening = filterToggle.getAttribute("aria-expanded") !== "true";
    filterToggle.setAttribute("aria-expanded", String(opening));
    filterBox.hidden = !opening;
    if (opening) loadFilters();
  });
  more.addEventListener("click", function () {
    var from = shown;
    showMore().then(function () {
      var link = list.children[from] && list.children[from].querySelector("a");
      if (link) link.focus();
    });
  });
  list.addEventListener("click", function (event) {
    // A result link or "Play from here": the dialog closes (player.js seeks, instant navigation
    // follows the link).
    if (event.target.closest && event.target.closest("a, [data-podsite-seek]")) close();
  });

  // --- searching ---------------------------------------------------------------------------------
  function chosenFilters() {
    var filters = {}, any = false;
    selects.forEach(function (select) {
      if (select.value) { filters[select.getAttribute("data-podsite-search-filter")] = select.value; any = true; }
    });
    return any ? filters : null;
  }

  function search() {
    var query = input.value.trim(), filters = chosenFilters(), mine = ++asked;
    clearTimeout(timer);
    searched = query;
    if (!query && !filters) {
      found = []; shown = 0;
      list.textContent = "";
      more.hidden = true;
      status.textContent = word("placeholder");
      return Promise.resolve();
    }
    return load().then(function (module) {
      return module.search(query || null, filters ? {filters: filters} : {});
    }).then(function (response) {
      if (mine !== asked || !response) return; // a newer query took over
      found = response.results; shown = 0;
      list.textContent = "";
      status.textContent = count(found.length);
      return showMore(mine, query).then(function () {
        if (mine === asked) root.setAttribute("data-podsite-searched", query); // for tests, benchmarks
      });
    }, function () {
      if (mine === asked) status.textContent = word("unavailable");
    });
  }

  function count(n) {
    return n === 0 ? word("none") : n === 1 ? word("one") : word("other").replace("#", String(n));
  }

  // `query`: the first batch of a new query's results. Pagefind answers a word it does not have
  // with pages holding the longest start of it that it has ("stress" finds the "s" of "22 s";
  // Pagefind/pagefind#793): when the best result holds nothing like a word of the query, there
  // is no result.
  function showMore(mine, query) {
    mine = mine || asked;
    var batch = found.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= found.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (mine !== asked) return;
      if (query && pages.length && !holdsTheQuery(pages[0], query)) {
        found = []; shown = 0; more.hidden = true;
        status.textContent = word("none");
        pages = [];
      }
      pages.forEach(function (data) { list.appendChild(item(data)); });
      root.dispatchEvent(new CustomEvent("podsite:search-results", {bubbles: true}));
    });
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^\p{L}\p{N}]/gu, "");
  }

  // Whether the words Pagefind found in a result begin as a word of the query does (its first
  // four letters, or all of a shorter one); a match in the title alone (no places) counts.
  function holdsTheQuery(data, query) {
    var terms = query.split(/\s+/).map(fold).filter(Boolean);
    var words = data.content.split(/[\r\n\s]+/g);
    var places = data.locations || [];
    if (!terms.length || !places.length) return true;
    return places.some(function (place) {
      var found = fold(words[place] || "");
      return terms.some(function (term) {
        var n = Math.min(4, term.length);
        return found.slice(0, n) === term.slice(0, n);
      });
    });
  }

  // --- one result --------------------------------------------------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function item(data) {
    var meta = data.meta || {};
    var url = new URL(data.url, location.href);
    var li = element("li", "md-search-result__item");
    var link = element("a", "md-search-result__link");
    link.href = url.href;
    var article = element("article", "md-search-result__article md-typeset");
    if (meta.kind) article.appendChild(element("span", "podsite-search__kind", meta.kind));
    article.appendChild(element("span", "podsite-search__title", meta.title || url.pathname));
    var words = data.content.split(/[\r\n\s]+/g);
    var start = transcriptStart(data);
    var moments = start == null ? [] : transcriptMoments(data, words, start);
    var notes = start == null ? data.excerpt : notesExcerpt(data, words, start);
    if (notes || !moments.length) article.appendChild(marked(element("p", "podsite-search__excerpt"), notes || data.excerpt));
    var section = sectionOf(data, start);
    if (section) link.href = new URL("#" + section, url).href; // where the words are, not the top
    link.appendChild(article);
    li.appendChild(link);
    if (moments.length) {
      var transcript = new URL(meta.transcript || url.href, url);
      if (meta.audio) {
        // player.js's seek API: a [data-podsite-seek] inside a [data-podsite-episode]
        li.setAttribute("data-podsite-episode", "");
        li.setAttribute("data-src", new URL(meta.audio, url).href); // relative to its episode page
        li.setAttribute("data-title", meta.title || "");
        li.setAttribute("data-page", url.href);
      }
      var ul = element("ul", "podsite-search__moments");
      moments.forEach(function (moment) { ul.appendChild(momentItem(moment, transcript, meta)); });
      li.appendChild(ul);
    }
    return li;
  }

  // The heading (h2-h6 with an id) the first words found on the page are under, before any
  // transcript; "" when they are before every heading, or found only in the title.
  function sectionOf(data, start) {
    var found = (data.locations || []).filter(function (l) { return start == null || l < start; });
    if (!found.length) return "";
    var first = Math.min.apply(null, found), id = "";
    (data.anchors || []).slice().sort(function (a, b) { return a.location - b.location; }).forEach(function (a) {
      if (/^h[2-6]$/i.test(a.element) && a.id && a.location <= first && a.location > 0) id = a.id;
    });
    return id;
  }

  // Where the transcript's words begin in the record's content (its #podsite-transcript anchor);
  // null for a page without a transcript.
  function transcriptStart(data) {
    var mark = (data.anchors || []).filter(function (a) { return a.id === "podsite-transcript"; })[0];
    return mark ? mark.location : null;
  }

  // An excerpt of the words found before the transcript (the episode's notes), or "" if none are.
  function notesExcerpt(data, words, start) {
    var found = (data.locations || []).filter(function (l) { return l < start; }).sort(function (a, b) { return a - b; });
    if (!found.length) return "";
    var from = Math.max(0, Math.min(found[0] - Math.floor(EXCERPT_WORDS / 3), start - EXCERPT_WORDS));
    return excerpt(words, from, Math.min(start, from + EXCERPT_WORDS), 0, start, found);
  }

  function momentItem(moment, transcript, meta) {
    var li = element("li", "podsite-search__moment");
    var link = element("a", "md-search-result__link podsite-search__moment-link");
    link.href = new URL("#" + moment.id, transcript).href;
    if (moment.time) link.appendChild(element("span", "podsite-time", moment.time));
    link.appendChild(marked(element("span", "podsite-search__excerpt"), moment.excerpt));
    li.appendChild(link);
    if (meta.audio && moment.seconds != null) {
      var play = element("button", "md-button podsite-search__play", word("play"));
      play.type = "button";
      play.setAttribute("data-podsite-seek", String(moment.seconds));
      play.setAttribute("aria-label", word("play-label")
        .replace("{episode}", meta.title || "").replace("{time}", moment.time));
      li.appendChild(play);
    }
    return li;
  }

  // The paragraphs of a transcript that hold the words found: anchors #p-N (the timestamp
  // links) carry the time as their text; Pagefind gives each anchor's and each match's word
  // position in the record's content, the transcript's from `start` on.
  function transcriptMoments(data, words, start) {
    var anchors = (data.anchors || []).filter(function (a) { return /^p-\d+$/.test(a.id) && a.location >= start; });
    var locations = (data.locations || []).filter(function (l) { return l >= start; }).sort(function (a, b) { return a - b; });
    if (!anchors.length || !locations.length) return [];
    anchors.sort(function (a, b) { return a.location - b.location; });
    var moments = [], seen = {};
    for (var i = 0; i < locations.length && moments.length < MOMENTS; i++) {
      var j = anchors.length - 1;
      while (j >= 0 && anchors[j].location > locations[i]) j--;
      if (j < 0 || seen[anchors[j].id]) continue;
      var anchor = anchors[j];
      seen[anchor.id] = true;
      var time = (anchor.text || "").trim();
      // the paragraph's words, after its timestamp, up to the next paragraph's
      var first = anchor.location + (time ? 1 : 0);
      var last = j + 1 < anchors.length ? anchors[j + 1].location : words.length;
      var start = Math.max(first, Math.min(locations[i] - Math.floor(EXCERPT_WORDS / 3), last - EXCERPT_WORDS));
      if (locations[i] - first < EXCERPT_WORDS - 4) start = first; // from the speaker's name on
      moments.push({id: anchor.id, time: time, seconds: seconds(time),
                    excerpt: excerpt(words, start, Math.min(last, start + EXCERPT_WORDS), first, last, locations)});
    }
    return moments;
  }

  function seconds(clock) {
    if (!/^\d+(:\d{1,2}){1,2}$/.test(clock)) return null;
    return clock.split(":").reduce(function (total, part) { return total * 60 + parseInt(part, 10); }, 0);
  }

  function excerpt(words, start, end, first, last, locations) {
    var hits = {}, parts = [];
    locations.forEach(function (l) { hits[l] = true; });
    for (var i = start; i < end; i++) parts.push(hits[i] ? "<mark>" + escape(words[i]) + "</mark>" : escape(words[i]));
    return (start > first ? "\u2026 " : "") + parts.join(" ") + (end < last ? " \u2026" : "");
  }

  function escape(text) { return text.replace(/</g, "&lt;").replace(/>/g, "&gt;"); }

  // Pagefind's excerpts are text with "<" and ">" escaped and the words found in <mark>: built
  // back as text nodes and <mark> elements, never parsed as markup.
  function marked(parent, html) {
    var marking = false;
    (html || "").split(/(<mark>|<\/mark>)/).forEach(function (piece) {
      if (piece === "<mark>") { marking = true; return; }
      if (piece === "</mark>") { marking = false; return; }
      if (!piece) return;
      var text = piece.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      parent.appendChild(marking ? element("mark", null, text) : document.createTextNode(text));
    });
    return parent;
  }

  // --- filters -----------------------------------------------------------------------------------
  function loadFilters() {
    if (!filtersLoaded) {
      filtersLoaded = load().then(function (module) { return module.filters(); }).then(fillFilters);
      filtersLoaded.catch(function () { filtersLoaded = null; });
    }
    return filtersLoaded;
  }

  function fillFilters(filters) {
    var any = false;
    selects.forEach(function (select) {
      var values = Object.keys((filters || {})[select.getAttribute("data-podsite-search-filter")] || {});
      if (!values.length) return;
      values.sort(function (a, b) { return a.localeCompare(b, undefined, {numeric: true}); });
      values.forEach(function (value) { select.appendChild(new Option(value, value)); });
      select.closest("label").hidden = false;
      any = true;
    });
    if (!any) { filterToggle.hidden = true; filterBox.hidden = true; } // a site without any
    root.setAttribute("data-podsite-filters-loaded", ""); // for tests
  }
})();

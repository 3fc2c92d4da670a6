/* podsite's site player: one <audio> outside Material's swapped container, so playback goes on
   while instant navigation replaces the page. Progressive enhancement: without this script each
   episode page's own <audio> plays, and chapter links open the audio at their time.

   - "Play episode" (or the page's own <audio>) hands the episode to the site player.
   - Chapter and transcript timestamps ([data-podsite-seek]) seek the player.
   - The position of every episode is kept in localStorage (podsite:position:<audio URL>), and the
     episode last played (podsite:now) comes back, paused, after a reload.
   - Every control is a native button, range or select: Tab reaches them, Space/Enter and the
     arrow keys work, screen readers name them.
   - Words: _() and ngettext() look them up in the site language's catalog, which the theme puts
     in the page as JSON (#podsite-i18n, from generator/locale/); pybabel extracts them from here,
     so every string shown is in generator/locale/podsite.pot. */
(function () {
  "use strict";
  var player = document.querySelector("[data-podsite-player]");
  if (!player) return;
  var audio = player.querySelector("[data-podsite-audio]");
  var toggle = player.querySelector("[data-podsite-toggle]");
  var icon = player.querySelector("[data-podsite-icon]");
  var now = player.querySelector("[data-podsite-now]");
  var position = player.querySelector("[data-podsite-position]");
  var time = player.querySelector("[data-podsite-time]");
  var speed = player.querySelector("[data-podsite-speed]");
  var store = null;
  try { store = window.localStorage; store.getItem("podsite:now"); } catch (e) { store = null; }
  var current = null; // {src, title, page}
  var lastSaved = 0;
  var stopAt = null; // end of the clip being played (a soundbite, or #t=start,end), in seconds

  // --- the site language's words (generator/site/i18n.py js_catalog) -----------------------------
  var catalog = { lang: document.documentElement.lang || "en", messages: {}, plurals: {} };
  try {
    var data = document.getElementById("podsite-i18n");
    if (data) catalog = JSON.parse(data.textContent);
  } catch (e) { /* English */ }
  var plural = null, numbers = null;
  try { plural = new Intl.PluralRules(catalog.lang); } catch (e) { plural = null; }
  try { numbers = new Intl.NumberFormat(catalog.lang, { numberingSystem: "latn" }); } catch (e) { numbers = null; }

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }
  function number(n) { return numbers ? numbers.format(n) : String(n); }
  function _(text, values) {
    return fill(Object.prototype.hasOwnProperty.call(catalog.messages, text) ? catalog.messages[text] : text, values);
  }
  function ngettext(singular, pluralText, n, values) {
    values = values || {};
    if (!("num" in values)) values.num = number(n);
    var forms = catalog.plurals[singular];
    var form = forms && ((plural && forms[plural.select(n)]) || forms.other);
    return fill(form || (n === 1 ? singular : pluralText), values);
  }

  function get(key) { try { return store ? store.getItem(key) : null; } catch (e) { return null; } }
  function set(key, value) { try { if (store) store.setItem(key, value); } catch (e) { /* full */ } }
  function drop(key) { try { if (store) store.removeItem(key); } catch (e) { /* ignore */ } }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function savePosition(force) {
    if (!current || !isFinite(audio.currentTime)) return;
    var t = Date.now();
    if (!force && t - lastSaved < 2000) return;
    lastSaved = t;
    set("podsite:position:" + current.src, String(Math.floor(audio.currentTime)));
  }

  function savedPosition(src) {
    var value = parseFloat(get("podsite:position:" + src) || "0");
    return isFinite(value) && value > 0 ? value : 0;
  }

  function show() {
    player.hidden = false;
    document.body.classList.add("podsite-player-open");
  }

  function render() {
    var playing = !audio.paused && !audio.ended;
    toggle.setAttribute("aria-label", playing ? _("Pause") : _("Play"));
    icon.innerHTML = playing ? "&#10074;&#10074;" : "&#9654;";
    var duration = isFinite(audio.duration) ? audio.duration : 0;
    position.max = String(Math.floor(duration));
    position.value = String(Math.floor(audio.currentTime || 0));
    position.setAttribute("aria-valuetext", _("%(position)s of %(duration)s", { position: clock(audio.currentTime), duration: clock(duration) }));
    time.textContent = clock(audio.currentTime) + " / " + clock(duration);
    var buttons = document.querySelectorAll("[data-podsite-play]");
    for (var i = 0; i < buttons.length; i++) {
      var episode = buttons[i].closest("[data-podsite-episode]");
      var mine = current && episode && episode.getAttribute("data-src") === current.src;
      buttons[i].textContent = mine && playing ? _("Pause") : _("Play episode");
    }
  }

  function episodeOf(element) {
    return {
      src: element.getAttribute("data-src"),
      title: element.getAttribute("data-title"),
      page: element.getAttribute("data-page") ? new URL(element.getAttribute("data-page"), location.href).href : location.href
    };
  }

  // Load an episode into the player (unless it is already there); `at` seconds, or where the
  // listener left it.
  function load(episode, at) {
    if (!current || current.src !== episode.src) {
      savePosition(true);
      current = episode;
      audio.src = episode.src;
      audio.playbackRate = parseFloat(speed.value) || 1;
      var start = at != null ? at : savedPosition(episode.src);
      if (start > 0) {
        var seekOnce = function () { audio.currentTime = start; audio.removeEventListener("loadedmetadata", seekOnce); };
        audio.addEventListener("loadedmetadata", seekOnce);
      }
      set("podsite:now", JSON.stringify(episode));
    } else if (at != null) {
      audio.currentTime = at;
    }
    now.textContent = episode.title;
    now.href = episode.page;
    show();
    render();
  }

  function play() {
    var started = audio.play();
    if (started && started.catch) started.catch(function () { render(); });
  }

  function pageEpisode(from) {
    var element = (from && from.closest("[data-podsite-episode]")) || document.querySelector("[data-podsite-episode]");
    return element ? episodeOf(element) : null;
  }

  // Wire the page's own elements; runs on the first load and after every instant navigation.
  function bind() {
    var blocks = document.querySelectorAll("[data-podsite-episode]");
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      if (block.hasAttribute("data-podsite-bound")) continue;
      block.setAttribute("data-podsite-bound", "");
      block.classList.add("podsite-audio--enhanced");
      var actions = block.querySelector(".podsite-play");
      if (actions) actions.hidden = false;
      var inline = block.querySelector("audio");
      if (inline) {
        inline.addEventListener("play", function (event) {
          // The page's own audio was started: hand it over, where it was.
          var own = event.target;
          own.pause();
          load(pageEpisode(own), own.currentTime || null);
          play();
        });
      }
    }
    var formats = document.querySelector("[data-podsite-format]");
    if (formats && !formats.hasAttribute("data-podsite-bound")) {
      formats.setAttribute("data-podsite-bound", "");
      formats.closest(".podsite-format-choice").hidden = false;
      formats.addEventListener("change", function () { chooseFormat(formats); });
    }
    fromHash(false);
    var finder = document.querySelector("[data-podsite-find]");
    if (finder && !finder.hasAttribute("data-podsite-bound")) {
      finder.setAttribute("data-podsite-bound", "");
      finder.closest(".podsite-find").hidden = false;
      finder.addEventListener("input", function () { find(finder.value); });
    }
    render();
  }

  // Another format of the episode (podcast:alternateEnclosure): the page's episode gets the new
  // source; if it is the one playing, the player switches to it at the same time.
  function chooseFormat(select) {
    var block = document.querySelector("[data-podsite-episode]");
    if (!block) return;
    var old = block.getAttribute("data-src"), src = select.value;
    if (!src || src === old) return;
    block.setAttribute("data-src", src);
    var inline = block.querySelector("audio");
    if (inline) inline.setAttribute("src", src);
    if (current && current.src === old) {
      var at = audio.currentTime, wasPlaying = !audio.paused;
      savePosition(true);
      current = null;
      load(episodeOf(block), at);
      if (wasPlaying) play();
    }
  }

  // A link to a moment or a clip of the episode on this page: #t=12:40 or #t=12:40,13:10
  // (seconds or clock times). The player opens there, paused, and stops at the end of a clip.
  var hashDone = null;
  function fromHash(force) {
    var match = /^#t=([\d:.]+)(?:,([\d:.]+))?$/.exec(location.hash);
    if (!match || (!force && hashDone === location.href)) return;
    hashDone = location.href;
    var episode = pageEpisode(null);
    var start = seconds(match[1]), end = match[2] ? seconds(match[2]) : null;
    if (!episode || start === null) return;
    stopAt = end !== null && end > start ? end : null;
    load(episode, start);
    if (force) play();
  }

  function seconds(text) {
    var parts = text.split(":"), total = 0;
    for (var i = 0; i < parts.length; i++) {
      var n = parseFloat(parts[i]);
      if (!isFinite(n) || n < 0) return null;
      total = total * 60 + n;
    }
    return total;
  }

  function find(text) {
    var words = text.trim().toLowerCase();
    var paragraphs = document.querySelectorAll(".podsite-transcript p");
    var shown = 0;
    for (var i = 0; i < paragraphs.length; i++) {
      var hit = !words || paragraphs[i].textContent.toLowerCase().indexOf(words) !== -1;
      paragraphs[i].hidden = !hit;
      if (hit) shown++;
    }
    var status = document.querySelector("[data-podsite-find-status]");
    if (status) {
      status.textContent = words ? ngettext("%(shown)s of %(num)s paragraph", "%(shown)s of %(num)s paragraphs",
                                           paragraphs.length, { shown: number(shown) }) : "";
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    var playButton = target && target.closest("[data-podsite-play]");
    if (playButton) {
      stopAt = null;
      var episode = pageEpisode(playButton);
      if (current && current.src === episode.src && !audio.paused) { audio.pause(); return; }
      load(episode, null);
      play();
      return;
    }
    var seek = target && target.closest("[data-podsite-seek]");
    if (seek) {
      var own = pageEpisode(seek);
      if (!own) return;
      event.preventDefault();
      var end = parseFloat(seek.getAttribute("data-podsite-end"));
      stopAt = isFinite(end) ? end : null;
      load(own, parseFloat(seek.getAttribute("data-podsite-seek")) || 0);
      play();
      return;
    }
    var share = target && target.closest("[data-podsite-share]");
    if (share) {
      // A clip's link: the page's own URL with #t=start,end; queue the clip like an opened link.
      event.preventDefault();
      history.replaceState(history.state, "", share.getAttribute("href"));
      fromHash(true);
    }
  });

  toggle.addEventListener("click", function () { if (audio.paused) play(); else audio.pause(); });
  var skips = player.querySelectorAll("[data-podsite-skip]");
  for (var i = 0; i < skips.length; i++) {
    skips[i].addEventListener("click", function (event) {
      var by = parseFloat(event.currentTarget.getAttribute("data-podsite-skip"));
      var end = isFinite(audio.duration) ? audio.duration : Infinity;
      audio.currentTime = Math.min(end, Math.max(0, audio.currentTime + by));
    });
  }
  position.addEventListener("input", function () { stopAt = null; audio.currentTime = parseFloat(position.value) || 0; });
  speed.addEventListener("change", function () {
    audio.playbackRate = parseFloat(speed.value) || 1;
    set("podsite:speed", speed.value);
  });
  player.querySelector("[data-podsite-close]").addEventListener("click", function () {
    savePosition(true);
    audio.pause();
    audio.removeAttribute("src");
    audio.load();
    current = null;
    drop("podsite:now");
    player.hidden = true;
    document.body.classList.remove("podsite-player-open");
    render();
  });
  ["play", "pause", "durationchange", "loadedmetadata", "seeked", "ratechange"].forEach(function (name) {
    audio.addEventListener(name, function () { savePosition(true); render(); });
  });
  audio.addEventListener("timeupdate", function () {
    if (stopAt !== null && audio.currentTime >= stopAt) { stopAt = null; audio.pause(); }
    savePosition(false); render();
  });
  audio.addEventListener("ended", function () { if (current) drop("podsite:position:" + current.src); render(); });
  window.addEventListener("pagehide", function () { savePosition(true); });

  var savedSpeed = get("podsite:speed");
  if (savedSpeed && speed.querySelector('option[value="' + savedSpeed + '"]')) speed.value = savedSpeed;
  try {
    var last = JSON.parse(get("podsite:now") || "null");
    if (last && last.src) load(last, null);
  } catch (e) { drop("podsite:now"); }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(bind);
  else bind();
})();

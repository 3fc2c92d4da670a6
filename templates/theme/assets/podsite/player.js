/* podsite's site player: one <audio> outside Material's swapped container, so playback goes on
   while instant navigation replaces the page. Progressive enhancement: without this script each
   episode page's own <audio> plays, and chapter links open the audio at their time.

   - "Play episode" (or the page's own <audio>) hands the episode to the site player.
   - Chapter and transcript timestamps ([data-podsite-seek]) seek the player.
   - The position of every episode is kept in localStorage (podsite:position:<audio URL>), and the
     episode last played (podsite:now) comes back, paused, after a reload.
   - Every control is a native button, range or select: Tab reaches them, Space/Enter and the
     arrow keys work, screen readers name them.
   - Phones: the Media Session API puts title, show, cover and controls (play/pause, back 15 s,
     forward 30 s, previous/next chapter, position) on the lock screen and in notifications.
   - Share a moment: `#t=12:40` or `?t=760` on an episode page opens the episode there, paused
     (fromHash); the bar's link button copies such a link for the second being heard.
   - The current chapter is shown in the bar and marked in the page's chapter list; on a
     transcript page the paragraph being spoken is marked, and followed on request.
   - Keys (when no field has the focus; Material uses f, s, /, p, n and the arrows): k play/pause,
     j back 15 s, l forward 30 s.
   - `window.podsite.player.play(src, {start, end, title, page})` plays any audio, or a range of it,
     in the bar.
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
  var failure = player.querySelector("[data-podsite-error]");
  var track = player.querySelector("[data-podsite-track]");
  var chapterLabel = player.querySelector("[data-podsite-chapter]");
  var copyMoment = player.querySelector("[data-podsite-moment]");
  var status = player.querySelector("[data-podsite-status]");
  var words = {};
  try { words = JSON.parse(player.getAttribute("data-podsite-words") || "{}"); } catch (e) { words = {}; }
  function word(key, fallback, values) {
    var text = words[key] || fallback;
    for (var name in values || {}) text = text.split("%(" + name + ")s").join(values[name]);
    return text;
  }
  var media = "mediaSession" in navigator ? navigator.mediaSession : null;
  var reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };
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
      var mine = current && episode && absolute(episode.getAttribute("data-src")) === current.src;
      buttons[i].textContent = mine && playing ? _("Pause") : _("Play episode");
    }
    renderChapters();
    renderFollow();
  }

  function absolute(url) { return new URL(url, location.href).href; }

  function episodeOf(element) {
    return {
      src: absolute(element.getAttribute("data-src")),
      title: element.getAttribute("data-title"),
      page: element.getAttribute("data-page") ? new URL(element.getAttribute("data-page"), location.href).href : location.href,
      show: element.getAttribute("data-show") || "",
      artwork: element.getAttribute("data-artwork") ? absolute(element.getAttribute("data-artwork")) : "",
      chapters: parseChapters(element.getAttribute("data-chapters"))
    };
  }

  function parseChapters(text) {
    try {
      var list = JSON.parse(text || "[]");
      return Array.isArray(list) ? list.filter(function (c) { return isFinite(c[0]); }) : [];
    } catch (e) { return []; }
  }

  // Load an episode into the player (unless it is already there); `at` seconds, or where the
  // listener left it.
  function load(episode, at) {
    if (!current || current.src !== episode.src) {
      savePosition(true);
      current = episode;
      showError(false);
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
    describe(episode);
    show();
    render();
  }

  // The audio cannot be loaded (a missing file, no connection, a host that does not resolve):
  // say so in the bar, with the file's own link to try in the browser or download.
  function showError(on) {
    failure.hidden = !on;
    track.hidden = on;
    if (on && current) failure.querySelector("[data-podsite-download]").href = current.src;
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
    spoken = null;
    shownChapter = null;
    follow = document.querySelector("[data-podsite-follow]");
    if (follow && !follow.hasAttribute("data-podsite-bound")) {
      follow.setAttribute("data-podsite-bound", "");
      follow.closest(".podsite-follow").hidden = false;
      follow.addEventListener("change", function () { spoken = null; renderFollow(); });
    }
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
    if (current && current.src === absolute(old)) {
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
    var match = /^#t=([\d:.]+)(?:,([\d:.]+))?$/.exec(location.hash) ||
      /^([\d:.]+)(?:,([\d:.]+))?$/.exec(new URLSearchParams(location.search).get("t") || "");
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

  // --- Chapters: the bar names the current one, the page's list marks it ---------------------------
  function chapterIndex(t) {
    var list = current ? current.chapters : [], found = -1;
    for (var i = 0; i < list.length; i++) if (list[i][0] <= t + 0.25) found = i;
    return found;
  }

  var shownChapter = null;
  function renderChapters() {
    var index = current ? chapterIndex(audio.currentTime || 0) : -1;
    var title = index >= 0 ? current.chapters[index][1] : "";
    if (chapterLabel && chapterLabel.textContent !== title) chapterLabel.textContent = title;
    var key = (current ? current.src : "") + "#" + index;
    if (key === shownChapter) return;
    shownChapter = key;
    var lists = document.querySelectorAll(".podsite-chapters[data-src]");
    for (var l = 0; l < lists.length; l++) {
      var mine = current && absolute(lists[l].getAttribute("data-src")) === current.src;
      var items = lists[l].querySelectorAll("li");
      for (var i = 0; i < items.length; i++) {
        var on = mine && i === index;
        items[i].classList.toggle("podsite-chapter--current", on);
        if (on) items[i].setAttribute("aria-current", "true"); else items[i].removeAttribute("aria-current");
      }
    }
  }

  function skipChapter(by) {
    if (!current || !current.chapters.length) return;
    var t = audio.currentTime || 0, index = chapterIndex(t);
    // "previous" restarts the chapter under way unless it has only just begun
    if (by < 0 && index >= 0 && t - current.chapters[index][0] > 3) by = 0;
    var next = Math.max(0, index + by);
    if (next < current.chapters.length) audio.currentTime = current.chapters[next][0];
  }

  // --- Follow along: the transcript paragraph being spoken ------------------------------------------
  var follow = null, spoken = null;
  function renderFollow() {
    var transcript = document.querySelector(".podsite-transcript");
    if (!transcript) return;
    var own = pageEpisode(transcript);
    var paragraphs = transcript.querySelectorAll("p");
    var t = audio.currentTime || 0, at = null;
    if (own && current && own.src === current.src && (t > 0 || !audio.paused)) {
      for (var i = 0; i < paragraphs.length; i++) {
        var stamp = paragraphs[i].querySelector("[data-podsite-seek]");
        if (stamp && parseFloat(stamp.getAttribute("data-podsite-seek")) <= t + 0.25) at = paragraphs[i];
      }
    }
    if (at === spoken) return;
    if (spoken) { spoken.classList.remove("podsite-spoken"); spoken.removeAttribute("aria-current"); }
    spoken = at;
    if (!at) return;
    at.classList.add("podsite-spoken");
    at.setAttribute("aria-current", "true");
    if (follow && follow.checked && !at.hidden) {
      at.scrollIntoView({ block: "center", behavior: reducedMotion.matches ? "auto" : "smooth" });
    }
  }

  // --- Lock screen and notification controls (Media Session API) ------------------------------------
  function describe(episode) {
    if (!media || typeof MediaMetadata === "undefined") return;
    var artwork = [];
    if (episode.artwork) {
      var type = /\.png($|\?)/i.test(episode.artwork) ? "image/png" : /\.jpe?g($|\?)/i.test(episode.artwork) ? "image/jpeg" : "";
      artwork.push(type ? { src: episode.artwork, type: type } : { src: episode.artwork });
    }
    media.metadata = new MediaMetadata({ title: episode.title, artist: episode.show, album: episode.show, artwork: artwork });
    var chapters = episode.chapters && episode.chapters.length;
    handle("previoustrack", chapters ? function () { skipChapter(-1); } : null);
    handle("nexttrack", chapters ? function () { skipChapter(1); } : null);
  }

  function handle(action, fn) {
    try { media.setActionHandler(action, fn); } catch (e) { /* an action this browser does not know */ }
  }

  function skipBy(seconds) {
    var end = isFinite(audio.duration) ? audio.duration : Infinity;
    audio.currentTime = Math.min(end, Math.max(0, (audio.currentTime || 0) + seconds));
  }

  function reportPosition() {
    if (!media) return;
    media.playbackState = !current ? "none" : audio.paused ? "paused" : "playing";
    if (!media.setPositionState || !isFinite(audio.duration) || audio.duration <= 0) return;
    try {
      media.setPositionState({ duration: audio.duration, playbackRate: audio.playbackRate || 1,
                               position: Math.min(audio.duration, Math.max(0, audio.currentTime || 0)) });
    } catch (e) { /* a position the browser refuses */ }
  }

  if (media) {
    handle("play", function () { play(); });
    handle("pause", function () { audio.pause(); });
    handle("stop", function () { audio.pause(); });
    handle("seekbackward", function (details) { skipBy(-((details && details.seekOffset) || 15)); });
    handle("seekforward", function (details) { skipBy((details && details.seekOffset) || 30); });
    handle("seekto", function (details) {
      if (details.fastSeek && audio.fastSeek) audio.fastSeek(details.seekTime);
      else audio.currentTime = details.seekTime;
    });
  }

  // --- Share a moment: copy a link to the second being heard ---------------------------------------
  function momentLink() {
    var url = new URL(current.page);
    url.hash = "t=" + clock(audio.currentTime || 0);
    return url.href;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.style.position = "fixed"; field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      document.body.removeChild(field);
      if (done) resolve(); else reject(new Error("copy"));
    });
  }

  var statusTimer = null;
  function say(text) {
    status.textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { status.textContent = ""; }, 4000);
  }

  if (copyMoment) {
    copyMoment.addEventListener("click", function () {
      if (!current) return;
      var link = momentLink();
      copy(link).then(function () {
        say(word("copied", "Link to %(time)s copied", { time: clock(audio.currentTime) }));
      }, function () {
        window.prompt(word("copy_this", "Copy this link"), link);
      });
    });
  }

  // --- Keyboard: k play/pause, j back 15 s, l forward 30 s -------------------------------------------
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = event.key;
    if (key === "k") {
      if (current) { if (audio.paused) play(); else audio.pause(); }
      else { var own = pageEpisode(null); if (!own) return; load(own, null); play(); }
    } else if (key === "j" && current) skipBy(-15);
    else if (key === "l" && current) skipBy(30);
    else return;
    event.preventDefault();
  });

  // --- The public hook: play any audio, or a range of it, in the bar ---------------------------------
  window.podsite = window.podsite || {};
  window.podsite.player = {
    play: function (src, options) {
      options = options || {};
      var here = pageEpisode(null);
      var episode = { src: absolute(src), title: options.title || (here && here.src === absolute(src) ? here.title : document.title),
                      page: options.page ? absolute(options.page) : location.href,
                      show: options.show || (here ? here.show : ""), artwork: here ? here.artwork : "",
                      chapters: here && here.src === absolute(src) ? here.chapters : [] };
      load(episode, options.start != null ? options.start : null);
      stopAt = options.end != null ? options.end : null;
      play();
    },
    pause: function () { audio.pause(); },
    current: function () { return current ? { src: current.src, time: audio.currentTime, paused: audio.paused } : null; }
  };

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
      skipBy(parseFloat(event.currentTarget.getAttribute("data-podsite-skip")));
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
    if (media) { media.metadata = null; media.playbackState = "none"; }
    render();
  });
  ["play", "pause", "durationchange", "loadedmetadata", "seeked", "ratechange"].forEach(function (name) {
    audio.addEventListener(name, function () { savePosition(true); render(); reportPosition(); });
  });
  audio.addEventListener("timeupdate", function () {
    if (stopAt !== null && audio.currentTime >= stopAt) { stopAt = null; audio.pause(); }
    savePosition(false); render();
  });
  audio.addEventListener("error", function () {
    if (current && audio.getAttribute("src")) { showError(true); render(); }
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

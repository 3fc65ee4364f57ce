/* Receptionist chat widget — no build step, no dependencies.
 *
 * Embed on any page with one tag (the origin must be in [http].allowed_origins):
 *   <script src="https://reception.example/widget.js" data-tenant="pawsome" data-title="Chat with us" defer></script>
 * Optional attributes: data-tenant, data-language (en|et|ru), data-title, data-target (CSS selector of an element
 * to render into instead of the floating button + panel).
 */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src$="widget.js"]');
  var base = new URL(script && script.src ? script.src : "/widget.js", window.location.href);
  var origin = base.origin;
  var opts = (script && script.dataset) || {};
  var TEXT = {
    en: {title: "Chat with us", placeholder: "Type your message…", send: "Send", open: "Open chat",
         close: "Close chat", typing: "Receptionist is typing…", you: "You", bot: "Receptionist",
         error: "Sorry, something went wrong. Please try again.", input: "Your message", log: "Conversation"},
    et: {title: "Vestle meiega", placeholder: "Kirjuta sõnum…", send: "Saada", open: "Ava vestlus",
         close: "Sulge vestlus", typing: "Administraator kirjutab…", you: "Sina", bot: "Administraator",
         error: "Vabandust, midagi läks valesti. Palun proovi uuesti.", input: "Sinu sõnum", log: "Vestlus"},
    ru: {title: "Напишите нам", placeholder: "Введите сообщение…", send: "Отправить", open: "Открыть чат",
         close: "Закрыть чат", typing: "Администратор печатает…", you: "Вы", bot: "Администратор",
         error: "Извините, что-то пошло не так. Попробуйте ещё раз.", input: "Ваше сообщение", log: "Переписка"}
  };
  var uiLang = opts.language || (navigator.language || "en").slice(0, 2);
  if (!TEXT[uiLang]) uiLang = "en";
  var t = TEXT[uiLang];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  if (!document.querySelector('link[data-receptionist-css]')) {
    var css = el("link", {rel: "stylesheet", href: origin + "/chat.css", "data-receptionist-css": ""});
    document.head.appendChild(css);
  }

  var target = opts.target ? document.querySelector(opts.target) : document.getElementById("receptionist-chat");
  var inline = !!target;
  var root = el("section", {"class": "rc-chat" + (inline ? " rc-inline" : " rc-floating"), "aria-label": opts.title || t.title});
  var header = el("header", {"class": "rc-header"});
  var title = el("h2", {"class": "rc-title", id: "rc-title"}, opts.title || t.title);
  header.appendChild(title);
  var log = el("div", {"class": "rc-log", role: "log", "aria-live": "polite", "aria-label": t.log, tabindex: "0"});
  var typing = el("div", {"class": "rc-typing", role: "status", "aria-live": "polite", hidden: ""});
  var options = el("div", {"class": "rc-options", role: "group", "aria-label": "Quick replies"});
  var form = el("form", {"class": "rc-form", autocomplete: "off"});
  var label = el("label", {"for": "rc-input", "class": "rc-visually-hidden"}, t.input);
  var input = el("input", {id: "rc-input", "class": "rc-input", type: "text", maxlength: "1000",
                           placeholder: t.placeholder, "aria-label": t.input, enterkeyhint: "send"});
  var send = el("button", {type: "submit", "class": "rc-send"}, t.send);
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  root.appendChild(header); root.appendChild(log); root.appendChild(typing); root.appendChild(options);
  root.appendChild(form);

  var launcher = null;
  if (inline) {
    target.appendChild(root);
  } else {
    launcher = el("button", {type: "button", "class": "rc-launcher", "aria-expanded": "false",
                             "aria-controls": "rc-panel"}, t.title);
    var closeBtn = el("button", {type: "button", "class": "rc-close", "aria-label": t.close}, "×");
    header.appendChild(closeBtn);
    root.id = "rc-panel";
    root.hidden = true;
    document.body.appendChild(launcher);
    document.body.appendChild(root);
    launcher.addEventListener("click", function () { toggle(root.hidden); });
    closeBtn.addEventListener("click", function () { toggle(false); });
    root.addEventListener("keydown", function (e) { if (e.key === "Escape") toggle(false); });
  }

  function toggle(open) {
    root.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) { start(); input.focus(); } else { launcher.focus(); }
  }

  var session = null, ws = null, started = false, busy = false, queue = [];

  function bubble(role, text, extra) {
    var item = el("div", {"class": "rc-msg rc-" + role + (extra ? " " + extra : "")});
    var who = el("span", {"class": "rc-visually-hidden"}, (role === "user" ? t.you : t.bot) + ": ");
    item.appendChild(who);
    item.appendChild(document.createTextNode(text));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function setTyping(on, text) {
    typing.hidden = !on;
    typing.textContent = on ? (text || t.typing) : "";
    busy = on;
    send.disabled = on;
    if (on) log.setAttribute("aria-busy", "true"); else log.removeAttribute("aria-busy");
  }

  function showOptions(list) {
    options.innerHTML = "";
    (list || []).forEach(function (o) {
      var b = el("button", {type: "button", "class": "rc-option"}, o.label);
      b.addEventListener("click", function () { submit(o.value, o.label); input.focus(); });
      options.appendChild(b);
    });
  }

  function onReply(data) {  // a reply ends the turn: its options are usable at once, before "typing off" arrives
    setTyping(false);
    if (data.session_id) session = data.session_id;
    if (data.language && TEXT[data.language]) root.setAttribute("lang", data.language);
    bubble("bot", data.reply || "", data.booking ? "rc-booking" : "");
    if (data.booking) root.setAttribute("data-booking", data.booking.code);
    showOptions(data.options);
  }

  function onError(err) {  // the server's text comes from its error table; t.error when it cannot be reached
    setTyping(false);
    bubble("bot", (err && err.text) || t.error, "rc-error");
  }

  function params() {
    var q = new URLSearchParams();
    if (opts.tenant) q.set("tenant", opts.tenant);
    if (opts.language) q.set("language", opts.language);
    if (session) q.set("session_id", session);
    return q.toString();
  }

  function connect(first) {
    var url = origin.replace(/^http/, "ws") + "/api/v1/chat/ws?" + params();
    try { ws = new WebSocket(url); } catch (e) { ws = null; return; }
    ws.onopen = function () {
      if (first) ws.send(JSON.stringify({type: "start", language: uiLang}));
      while (queue.length) ws.send(queue.shift());
    };
    ws.onmessage = function (ev) {
      var data;
      try { data = JSON.parse(ev.data); } catch (e) { return; }
      if (data.type === "typing") setTyping(!!data.on);
      else if (data.type === "holding") setTyping(true, data.text);
      else if (data.type === "reply") onReply(data);
      else if (data.type === "error") onError(data.error);
    };
    ws.onclose = function () { ws = null; setTyping(false); };
    ws.onerror = function () { ws = null; };
  }

  function viaPost(text) {  // fallback when WebSockets are blocked
    setTyping(true);
    var body = {message: text};
    if (session) body.session_id = session;
    if (opts.tenant) body.tenant = opts.tenant;
    if (opts.language) body.language = opts.language;
    fetch(origin + "/api/v1/chat", {method: "POST", headers: {"Content-Type": "application/json"},
                                    body: JSON.stringify(body)})
      .then(function (r) { return r.json(); })
      .then(function (data) { if (data.error) onError(data.error); else onReply(data); })
      .catch(onError)
      .then(function () { setTyping(false); });
  }

  function start() {
    if (started) return;
    started = true;
    connect(true);
    if (!ws) viaPost("");
  }

  function submit(text, shown) {
    text = (text || "").trim();
    if (!text || busy) return;
    bubble("user", shown || text);
    showOptions([]);
    var frame = JSON.stringify({type: "message", text: text});
    if (ws && ws.readyState === 1) { ws.send(frame); }
    else if (ws && ws.readyState === 0) { queue.push(frame); }
    else { connect(false); if (ws) queue.push(frame); else viaPost(text); }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    submit(text);
  });

  if (inline) start();
  window.ReceptionistChat = {open: function () { if (launcher) toggle(true); }, session: function () { return session; }};
})();

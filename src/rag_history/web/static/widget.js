/* rag-history widget: a floating "Ask the article" button that opens the chat in an iframe.
 *
 *   <script src="https://CHAT-HOST/widget.js" data-lang="tr" data-theme="light" defer></script>
 *
 * data-lang: tr | en (default: the page's, then the browser's language); data-theme: light |
 * dark (default: the reader's preference); data-label: the button text; data-source: the file
 * name of the one text to answer from (default: every text of the course). Served by the chat
 * itself: no third-party script, and nothing is loaded until the button is pressed. Escape
 * closes the panel, also while focus is inside the chat (the chat posts a message to this page).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.ragHistoryWidget) return;
  var base = script.src.replace(/\/widget\.js(\?.*)?$/, "");
  var chatOrigin = new URL(base + "/").origin;
  var data = script.dataset;
  var langTag = data.lang || document.documentElement.lang || navigator.language || "";
  var lang = langTag.toLowerCase().indexOf("tr") === 0 ? "tr" : "en";
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var theme = data.theme === "dark" || data.theme === "light" ? data.theme : (dark ? "dark" : "light");
  var text = {
    tr: { open: "Makaleye sor", close: "Kapat", title: "Makaleye sorun" },
    en: { open: "Ask the article", close: "Close", title: "Ask the article" }
  }[lang];

  var css =
    ".rh-widget-button{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:999px;" +
    "padding:12px 18px;font:600 15px/1.2 system-ui,sans-serif;color:#fff;background:#c2410c;cursor:pointer;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".rh-widget-button:focus-visible{outline:3px solid #fdba74;outline-offset:2px}" +
    ".rh-widget-panel{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:420px;height:640px;" +
    "max-width:calc(100vw - 40px);max-height:calc(100vh - 100px);display:none;flex-direction:column;" +
    "border-radius:12px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.3);background:" +
    (theme === "dark" ? "#0b0f19" : "#fff") + "}" +
    ".rh-widget-panel.rh-open{display:flex}" +
    ".rh-widget-bar{display:flex;align-items:center;justify-content:space-between;padding:6px 10px;" +
    "font:600 14px system-ui,sans-serif;color:#fff;background:#c2410c}" +
    ".rh-widget-bar button{border:0;background:transparent;color:#fff;font-size:20px;line-height:1;cursor:pointer}" +
    ".rh-widget-panel iframe{flex:1;width:100%;border:0}";

  var style = document.createElement("style");
  style.textContent = css;
  document.head.appendChild(style);

  var button = document.createElement("button");
  button.type = "button";
  button.className = "rh-widget-button";
  button.textContent = data.label || text.open;
  button.setAttribute("aria-expanded", "false");

  var panel = document.createElement("div");
  panel.className = "rh-widget-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", text.title);
  var bar = document.createElement("div");
  bar.className = "rh-widget-bar";
  var title = document.createElement("span");
  title.textContent = text.title;
  var close = document.createElement("button");
  close.type = "button";
  close.textContent = "\u00d7";
  close.setAttribute("aria-label", text.close);
  bar.appendChild(title);
  bar.appendChild(close);
  panel.appendChild(bar);

  var frame = null;
  function setOpen(open) {
    if (open && !frame) {  // the chat loads on first use, not with the course page
      frame = document.createElement("iframe");
      frame.title = text.title;
      frame.allow = "clipboard-write";  // the chat's Copy buttons
      frame.src = base + "/embed/?lang=" + lang + "&__theme=" + theme +
        (data.source ? "&source=" + encodeURIComponent(data.source) : "");
      panel.appendChild(frame);
    }
    panel.classList.toggle("rh-open", open);
    button.setAttribute("aria-expanded", String(open));
    if (!open) button.focus();
  }
  button.addEventListener("click", function () { setOpen(!panel.classList.contains("rh-open")); });
  close.addEventListener("click", function () { setOpen(false); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && panel.classList.contains("rh-open")) setOpen(false);
  });
  window.addEventListener("message", function (e) {  // Escape pressed inside the chat's iframe
    if (frame && e.source === frame.contentWindow && e.origin === chatOrigin && e.data &&
        e.data.type === "rag-history:close" && panel.classList.contains("rh-open")) setOpen(false);
  });

  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
  window.ragHistoryWidget = { open: function () { setOpen(true); }, close: function () { setOpen(false); } };
})();

/* rag-history chat: the conversation on screen and in the browser's storage.
 *
 * The body of the chat's gr.HTML `js_on_load` (app.py): Gradio runs it with `element` (the
 * chat's element), `props` (value: the latest turn; labels, max_history, max_chars), `trigger`
 * and `watch`. The server renders every turn (render.py) and sends only the new one; this
 * script appends it, keeps the turns in localStorage until Clear (so a reload keeps the
 * conversation), and gives each question the earlier questions to send with it: at most
 * max_history of them, each at most max_chars long, so the request is as small at turn 500 as
 * at turn 2. It also copies an answer as plain text, sends thumbs up/down, and, inside the
 * widget's iframe, tells the course page that Escape was pressed (widget.js closes the panel).
 */
const MAX_STORED_TURNS = 100;  // localStorage holds ~5 MB per site; a turn is ~5-10 KB of HTML
const COPIED_MS = 2000;  // how long a Copy button says "Copied"
const scroller = element.querySelector(".rh-scroll");
const log = element.querySelector(".rh-log");
const empty = element.querySelector(".rh-empty");
// One conversation per text the page is limited to (the widget's data-source), else one per site.
const storageKey = "rag-history:conversation:" + (new URLSearchParams(window.location.search).get("source") || "");
let labels = props.labels || {};
let pending = null;

function storage() {
  try { return window.localStorage; } catch (e) { return null; }  // blocked (third-party iframe): no memory
}

function valid(turn) {
  return Boolean(turn) && typeof turn.id === "string" && typeof turn.html === "string";
}

function restore() {
  try {
    const store = storage();
    const saved = JSON.parse((store && store.getItem(storageKey)) || "[]");
    return Array.isArray(saved) ? saved.filter(valid) : [];
  } catch (e) {
    return [];
  }
}

let turns = restore();

function save() {
  const store = storage();
  if (!store) return;
  let kept = turns.slice(-MAX_STORED_TURNS);
  for (;;) {
    try {
      if (kept.length) store.setItem(storageKey, JSON.stringify(kept)); else store.removeItem(storageKey);
      return;
    } catch (e) {  // storage full: keep the later half, and so on
      if (!kept.length) return;
      kept = kept.slice(Math.ceil(kept.length / 2));
    }
  }
}

function relabel() {
  log.setAttribute("aria-label", labels.conversation || "");
  empty.textContent = labels.empty || "";
  empty.hidden = log.childElementCount > 0;
}

function show(node) {
  // The new turn's top at the top of the view: a long answer is read from its start.
  scroller.scrollTop = Math.max(0, node.offsetTop - 8);
}

function render(turn) {
  const node = document.createElement("div");
  node.className = "rh-turn";
  node.dataset.turn = turn.id;
  node.innerHTML = turn.html;  // built by render.py, every string in it escaped
  if (typeof turn.voted === "string") markVote(node, turn.voted);
  log.appendChild(node);
  return node;
}

function settle() {
  if (pending) pending.remove();
  pending = null;
}

function bubble(className, text) {
  const node = document.createElement("div");
  node.className = "rh-bubble " + className;
  node.textContent = text;
  return node;
}

// Called as the question is sent (app.py's ASK_JS): shows it at once, returns the history to send.
function asking(question) {
  const history = turns.filter((t) => typeof t.asked === "string" && t.asked)
    .slice(-props.max_history).map((t) => t.asked.slice(0, props.max_chars));
  settle();
  if (/[\p{L}\p{N}]/u.test(question || "")) {  // an empty question gets the server's notice only
    pending = document.createElement("div");
    pending.className = "rh-turn rh-pending";
    const waiting = bubble("rh-answer rh-waiting", labels.pending || "");
    waiting.setAttribute("role", "status");
    pending.append(bubble("rh-question", question), waiting);
    log.appendChild(pending);
    relabel();
    show(pending);
  }
  return history;
}

function failed() {
  settle();
  const notice = bubble("rh-notice", labels.failed || "");
  notice.setAttribute("role", "status");
  const node = document.createElement("div");
  node.className = "rh-turn";
  node.appendChild(notice);
  log.appendChild(node);
  relabel();
  show(node);
}

function clear() {
  settle();
  turns = [];
  log.replaceChildren();
  save();
  relabel();
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {  // no Clipboard API here (an iframe without clipboard-write): the old way
    const area = document.createElement("textarea");
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { area.remove(); }
  }
  button.dataset.label = button.dataset.label || button.textContent;
  button.textContent = button.dataset.copied;
  setTimeout(() => { button.textContent = button.dataset.label; }, COPIED_MS);
}

function markVote(node, vote) {
  for (const b of node.querySelectorAll(".rh-vote")) b.setAttribute("aria-pressed", String(b.dataset.vote === vote));
  const thanks = node.querySelector(".rh-thanks");
  if (thanks) thanks.hidden = false;
}

element.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  const node = button && button.closest(".rh-turn");
  const turn = node && turns.find((t) => t.id === node.dataset.turn);
  if (!turn) return;
  if (button.classList.contains("rh-copy")) {
    copy(turn.text, button);
  } else if (button.classList.contains("rh-vote") && turn.vote) {
    trigger("feedback", { vote: turn.vote, up: button.dataset.vote === "up" });
    turn.voted = button.dataset.vote;
    markVote(node, turn.voted);
    save();
  }
});

watch("value", () => {
  const turn = props.value;
  if (!valid(turn)) return;
  settle();
  if (turn.asked) {  // a notice (an empty question) is shown, not kept
    turns.push(turn);
    save();
  }
  const node = render(turn);
  relabel();
  show(node);
});

watch("labels", () => {
  labels = props.labels || {};
  relabel();
});

if (window.parent !== window) {  // in the widget's iframe: Escape closes the panel around it
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") window.parent.postMessage({ type: "rag-history:close" }, "*");
  });
}

window.ragHistoryChat = { asking, failed, clear };
turns.forEach(render);
relabel();
if (log.lastElementChild) show(log.lastElementChild);

// The dashboard: one page, hash routes, data from /ui/api. No framework and no build
// step; every text from the server goes into the page as text, never as markup.
"use strict";

const API = "/ui/api";
const TOKEN_KEY = "resonate-token";
const LIVE_MS = 1000;

// -- small helpers ----------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const enc = encodeURIComponent;

const LAST_DATE_MS = 8.64e15; // the latest time a Date holds; timeouts may lie beyond

function when(ms) {
  if (ms === null || ms === undefined) return "";
  if (ms >= LAST_DATE_MS) return "never";
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

function span(ms) {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${abs} ms`;
  if (abs < 60000) return `${(abs / 1000).toFixed(abs < 10000 ? 1 : 0)} s`;
  if (abs < 3600000) return `${Math.round(abs / 60000)} min`;
  if (abs < 86400000 * 2) return `${(abs / 3600000).toFixed(1)} h`;
  if (abs > 86400000 * 365 * 100) return "never";
  return `${Math.round(abs / 86400000)} d`;
}

function relative(ms) {
  if (ms === null || ms === undefined) return "";
  const diff = ms - Date.now();
  const text = span(diff);
  if (text === "never") return "never";
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

function time(ms) {
  return ms === null || ms === undefined ? h("span", { class: "muted" }, "–") : h("span", { class: "when", title: when(ms) }, relative(ms));
}

function badge(state) {
  return h("span", { class: `badge ${state}`, "data-state": state }, state.replace("_", " "));
}

function tags(record) {
  const entries = Object.entries(record || {}).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return h("span", { class: "muted" }, "–");
  return entries.map(([k, v]) => h("span", { class: "tag", title: `${k}=${v}` }, `${k}=${v}`));
}

function flash(text, bad) {
  const note = h("div", { class: bad ? "note bad" : "note" }, text);
  document.getElementById("flash").append(note);
  setTimeout(() => note.remove(), bad ? 7000 : 3500);
}

function params(query) {
  return new URLSearchParams(query || "");
}

// -- talking to the server --------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message, needs) {
    super(message);
    this.status = status;
    this.needs = needs;
  }
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers["X-Resonate-Token"] = token;
  const init = { method: options.method || "GET", headers, credentials: "same-origin" };
  if (init.method !== "GET") {
    headers["X-Requested-By"] = "resonate-ui";
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body || {});
  }
  let response;
  try {
    response = await fetch(API + path, init);
  } catch (error) {
    throw new ApiError(0, "The server cannot be reached.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    data = { error: `${response.status} ${response.statusText}` };
  }
  if (!response.ok) throw new ApiError(response.status, data.error || response.statusText, data.needs);
  return data;
}

// -- routing and live views -------------------------------------------------------------

let liveTimer = null;
let routeSerial = 0;

function stopLive() {
  if (liveTimer) clearTimeout(liveTimer);
  liveTimer = null;
}

// Runs refresh every LIVE_MS while the route stays the same and it returns true.
function live(serial, refresh) {
  stopLive();
  const tick = async () => {
    if (serial !== routeSerial) return;
    if (document.getElementById("confirm").open) {
      liveTimer = setTimeout(tick, LIVE_MS);
      return;
    }
    let again = true;
    try {
      again = await refresh();
    } catch (error) {
      again = !(error instanceof ApiError && error.status >= 400 && error.status < 500);
    }
    if (again && serial === routeSerial) liveTimer = setTimeout(tick, LIVE_MS);
  };
  liveTimer = setTimeout(tick, LIVE_MS);
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

const ROUTES = [
  [/^#\/promises(?:\?(.*))?$/, (m) => promisesView(params(m[1]))],
  [/^#\/promise\/(current|legacy)\/(.+)$/, (m) => promiseView(m[1], decodeURIComponent(m[2]))],
  [/^#\/tree\/(current|legacy)\/(.+)$/, (m) => treeView(m[1], decodeURIComponent(m[2]))],
  [/^#\/tasks(?:\?(.*))?$/, (m) => tasksView(params(m[1]))],
  [/^#\/schedules(?:\?(.*))?$/, (m) => schedulesView(params(m[1]))],
  [/^#\/schedule\/(current|legacy)\/(.+)$/, (m) => scheduleView(m[1], decodeURIComponent(m[2]))],
  [/^#\/server$/, () => serverView()],
];

async function route() {
  stopLive();
  const serial = ++routeSerial;
  const hash = location.hash || "#/promises";
  const section = hash.slice(2).split(/[/?]/)[0];
  const active = { promise: "promises", tree: "promises", schedule: "schedules" }[section] || section;
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.dataset.section === active);
  }
  const view = document.getElementById("view");
  for (const [pattern, render] of ROUTES) {
    const match = hash.match(pattern);
    if (!match) continue;
    try {
      const content = await render(match, serial);
      if (serial !== routeSerial) return;
      view.replaceChildren(content.node || content);
      if (content.live) live(serial, content.live);
    } catch (error) {
      if (serial !== routeSerial) return;
      view.replaceChildren(failure(error));
    }
    return;
  }
  go("#/promises");
}

function failure(error) {
  if (error instanceof ApiError && error.needs === "token") return signIn(error.message);
  return h("div", { class: "panel" }, h("h2", {}, error.status === 404 ? "Not found" : "Something went wrong"),
    h("p", { class: "error", "data-error": "" }, error.message));
}

function signIn(message) {
  const input = h("input", { type: "password", name: "token", autocomplete: "off", placeholder: "eyJhbGciOi…" });
  const form = h("form", {
    onsubmit: (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      route();
    },
  }, h("label", {}, "Token with the admin role", input), h("button", { type: "submit" }, "Sign in"));
  return h("div", { class: "panel signin" }, h("h2", {}, "Sign in"), h("p", { class: "muted" }, message), form);
}

// -- promises ---------------------------------------------------------------------------

const PROMISE_STATES = {
  current: ["all", "pending", "resolved", "rejected", "rejected_canceled", "rejected_timedout"],
  legacy: ["all", "pending", "resolved", "rejected"],
};

function filterForm(fields, onSubmit) {
  return h("form", {
    class: "filters panel",
    onsubmit: (event) => {
      event.preventDefault();
      onSubmit(new FormData(event.target));
    },
  }, fields, h("button", { type: "submit" }, "Search"));
}

function select(name, options, chosen, label) {
  return h("label", {}, label,
    h("select", { name }, options.map((o) => h("option", { value: o, selected: o === chosen }, o.replace("_", " ")))));
}

async function promisesView(query) {
  const generation = query.get("generation") === "legacy" ? "legacy" : "current";
  const data = await api(`/promises?${query.toString()}`);
  const fields = [
    select("generation", ["current", "legacy"], generation, "Protocol"),
    h("label", {}, "Id (glob, * matches anything)", h("input", { name: "id", value: query.get("id") || "", placeholder: "order-*" })),
    select("state", PROMISE_STATES[generation], query.get("state") || "all", "State"),
    h("label", {}, "Tags (key=value, comma separated)",
      h("input", { name: "tags", value: query.getAll("tag").join(", "), placeholder: "resonate:origin=order-1" })),
  ];
  const form = filterForm(fields, (form) => {
    const next = new URLSearchParams();
    next.set("generation", form.get("generation"));
    if (form.get("id")) next.set("id", form.get("id"));
    if (form.get("state") && form.get("state") !== "all" && PROMISE_STATES[form.get("generation")].includes(form.get("state"))) {
      next.set("state", form.get("state"));
    }
    for (const pair of String(form.get("tags") || "").split(",")) if (pair.trim()) next.append("tag", pair.trim());
    go(`#/promises?${next.toString()}`);
  });
  const rows = data.promises.map((p) => h("tr", { "data-id": p.id },
    h("td", { class: "id" }, h("a", { href: `#/promise/${generation}/${enc(p.id)}` }, p.id),
      p.func ? h("div", { class: "muted" }, p.func) : null),
    h("td", {}, badge(p.state)),
    h("td", {}, time(p.createdAt)),
    h("td", { class: "wide-only" }, time(p.timeoutAt)),
    h("td", { class: "wide-only" }, tags(p.tags))));
  const table = h("div", { class: "table-wrap" }, h("table", { "data-table": "promises" },
    h("thead", {}, h("tr", {}, h("th", {}, "Id"), h("th", {}, "State"), h("th", {}, "Created"),
      h("th", { class: "wide-only" }, "Timeout"), h("th", { class: "wide-only" }, "Tags"))),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No promises match.")))));
  return h("div", {}, h("div", { class: "heading" }, h("h1", {}, "Promises")), form,
    h("div", { class: "panel" }, table, pager(query, data.cursor, "#/promises")));
}

function pager(query, cursor, base) {
  const first = new URLSearchParams(query);
  first.delete("cursor");
  const page = Number(query.get("page") || "1");
  const next = new URLSearchParams(first);
  if (cursor) {
    next.set("cursor", cursor);
    next.set("page", String(page + 1));
  }
  first.delete("page");
  return h("div", { class: "pager" },
    h("span", { class: "muted" }, `Page ${page}`),
    h("div", { class: "buttons" },
      query.get("cursor") ? h("button", { class: "secondary", onclick: () => go(`${base}?${first}`) }, "First page") : null,
      h("button", { class: "secondary", disabled: !cursor, "data-next": "", onclick: () => go(`${base}?${next}`) }, "Next page")));
}

function valueBlock(title, value) {
  let shown;
  if (value.isJson) shown = JSON.stringify(value.json, null, 2);
  else if (value.text !== null) shown = value.text;
  else if (value.base64) shown = value.base64;
  const kind = value.isJson ? "JSON" : value.text !== null ? "text" : value.base64 ? "base64" : "";
  const headers = Object.keys(value.headers || {}).length ? h("div", {}, tags(value.headers)) : null;
  return h("div", { class: "panel" }, h("h2", {}, title, " ", h("span", { class: "muted" }, kind)), headers,
    shown === undefined ? h("p", { class: "muted" }, "(none)") : h("pre", { class: "value", "data-value": title.toLowerCase() }, shown));
}

function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function promiseLink(generation, id) {
  return h("a", { class: "mono", href: `#/promise/${generation}/${enc(id)}` }, id);
}

async function settleAction(generation, promise, state) {
  const verb = { resolved: "Resolve", rejected: "Reject", rejected_canceled: "Cancel promise" }[state];
  const answer = await confirmAction({
    title: `${verb} ${promise.id}?`,
    message: `The promise is settled as ${state.replace("_", " ")} for every client, and what awaits it goes on.`,
    withValue: state !== "rejected_canceled",
    confirm: verb,
    danger: state !== "resolved",
    run: (value) => api(`/promises/${generation}/${enc(promise.id)}/settle`, { method: "POST", body: { state, value } }),
  });
  if (answer) {
    flash(`${promise.id} ${answer.promise.state.replace("_", " ")}`);
    route();
  }
}

async function promiseView(generation, id, serial) {
  const render = (data) => {
    const p = data.promise;
    const actions = p.state === "pending" ? h("div", { class: "buttons" },
      h("button", { onclick: () => settleAction(generation, p, "resolved") }, "Resolve"),
      h("button", { class: "danger", onclick: () => settleAction(generation, p, "rejected") }, "Reject"),
      h("button", { class: "secondary", onclick: () => settleAction(generation, p, "rejected_canceled") }, "Cancel promise")) : null;
    const treeRoot = p.root || p.id;
    const summary = h("div", { class: "panel" }, facts([
      ["State", badge(p.state)],
      ["Protocol", generation],
      p.func ? ["Function", p.func] : null,
      ["Created", h("span", {}, when(p.createdAt), " ", h("span", { class: "muted" }, `(${relative(p.createdAt)})`))],
      ["Timeout", h("span", {}, when(p.timeoutAt), " ", h("span", { class: "muted" }, `(${relative(p.timeoutAt)})`))],
      p.settledAt !== undefined ? ["Settled", h("span", {}, when(p.settledAt), " ",
        h("span", { class: "muted" }, `(took ${span(p.settledAt - p.createdAt)})`))] : null,
      p.parent ? ["Parent", promiseLink(generation, p.parent)] : null,
      p.root ? ["Root", promiseLink(generation, p.root)] : null,
      p.group ? ["Worker group", p.group] : null,
      ["Call tree", h("a", { href: `#/tree/${generation}/${enc(treeRoot)}` }, `tree of ${treeRoot}`)],
      ["Tags", h("div", {}, tags(p.tags))],
    ]));
    const task = data.task;
    const taskPanel = task ? h("div", { class: "panel", "data-task": task.state }, h("h2", {}, "Task"), facts([
      ["State", badge(task.state)],
      ["Version", String(task.version)],
      ["Resumes", String(task.resumes)],
      task.pid ? ["Held by", h("span", { class: "mono" }, task.pid)] : null,
      task.ttl !== undefined ? ["Lease", `${span(task.ttl)}`] : null,
      task.leaseExpiresAt ? ["Lease lapses", time(task.leaseExpiresAt)] : null,
      task.retryAt ? ["Next send", time(task.retryAt)] : null,
    ]), taskButtons(task)) : null;
    const links = generation === "current" ? h("div", { class: "panel" }, h("h2", {}, "Callbacks and listeners"), facts([
      ["Resumes tasks", data.callbacks.length ? data.callbacks.map((c) => h("div", {}, promiseLink(generation, c))) : "–"],
      ["Its task awaits", data.awaiting.length ? data.awaiting.map((c) => h("div", {}, promiseLink(generation, c))) : "–"],
      ["Listeners", data.listeners.length ? data.listeners.map((l) => h("div", { class: "mono" }, l)) : "–"],
    ])) : null;
    const legacyPanel = generation === "legacy" ? h("div", { class: "panel" }, h("h2", {}, "Tasks and callbacks"), facts([
      ["Live tasks of this root", data.legacyTasks.length ? data.legacyTasks.map((t) => h("div", { "data-legacy-task": t.id },
        badge(t.state.toLowerCase()), ` ${t.type} #${t.id} counter ${t.counter}`,
        t.process_id ? ` held by ${t.process_id}` : "",
        Number(t.expires_at) > 0 ? h("span", {}, ", lease ", time(Number(t.expires_at))) : "")) : "–"],
      ["Callbacks", data.legacyCallbacks.length ? data.legacyCallbacks.map((c) => h("div", { class: "mono" },
        `${c.type} of ${c.root} to ${typeof c.recv === "string" ? c.recv : JSON.stringify(c.recv)}`)) : "–"],
    ])) : null;
    return h("div", { class: "stack" },
      h("div", { class: "heading" }, h("div", {}, h("h1", { "data-promise": p.id }, p.id),
        h("p", { class: "sub muted" }, "Promise")), actions),
      h("div", { class: "grid2" }, summary, h("div", { class: "stack" }, taskPanel, links, legacyPanel)),
      h("div", { class: "grid2" }, valueBlock("Param", p.param), valueBlock("Value", p.value)));
  };
  const path = `/promises/${generation}/${enc(id)}`;
  const first = await api(path);
  const node = h("div", {}, render(first));
  let shown = JSON.stringify(first);
  return {
    node,
    live: async () => {
      const data = await api(path);
      const text = JSON.stringify(data);
      if (text !== shown) node.replaceChildren(render(data)); // else keep what the reader may be selecting
      shown = text;
      return data.promise.state === "pending";
    },
  };
}

function taskButtons(task) {
  const act = async (verb) => {
    const answer = await confirmAction({
      title: `${verb === "halt" ? "Halt" : "Continue"} task ${task.id}?`,
      message: verb === "halt"
        ? "No worker gets this task until it is continued; a worker holding it loses it."
        : "The task becomes pending and is sent to its worker group again.",
      confirm: verb === "halt" ? "Halt" : "Continue",
      danger: verb === "halt",
      run: () => api(`/tasks/${enc(task.id)}/${verb}`, { method: "POST" }),
    });
    if (answer) {
      flash(`task ${task.id}: ${verb === "halt" ? "halted" : "continued"}`);
      route();
    }
  };
  if (task.state === "halted") return h("div", { class: "buttons" }, h("button", { onclick: () => act("continue") }, "Continue"));
  if (["pending", "acquired", "suspended"].includes(task.state)) {
    return h("div", { class: "buttons" }, h("button", { class: "danger small", onclick: () => act("halt") }, "Halt"));
  }
  return null;
}

// -- the call tree ----------------------------------------------------------------------

async function treeView(generation, rootId, serial) {
  const collapsed = new Set();
  const path = `/tree/${generation}/${enc(rootId)}`;
  const holder = h("div", {});
  const indicator = h("span", { class: "live on" }, "live");
  const draw = (data) => {
    const byId = new Map(data.promises.map((p) => [p.id, p]));
    const children = new Map();
    for (const p of data.promises) {
      if (p.id === data.root) continue;
      const parent = p.parent && byId.has(p.parent) && p.parent !== p.id ? p.parent : data.root;
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(p);
    }
    for (const list of children.values()) list.sort((a, b) => (a.createdAt - b.createdAt) || a.id.localeCompare(b.id));
    const counts = {};
    for (const p of data.promises) counts[p.state] = (counts[p.state] || 0) + 1;
    const branch = (p, depth) => {
      const kids = children.get(p.id) || [];
      const closed = collapsed.has(p.id);
      const took = p.settledAt !== undefined ? span(p.settledAt - p.createdAt) : `running ${span(Date.now() - p.createdAt)}`;
      const row = h("div", { class: `node ${p.state === "pending" ? "pending" : ""}` },
        kids.length ? h("button", {
          class: "toggle", "aria-expanded": String(!closed), title: closed ? "Expand" : "Collapse",
          onclick: () => {
            if (collapsed.has(p.id)) collapsed.delete(p.id); else collapsed.add(p.id);
            draw(data);
          },
        }, closed ? "▸" : "▾") : h("span", { class: "spacer" }),
        badge(p.state), promiseLink(generation, p.id), p.func ? h("span", { class: "func" }, p.func) : null,
        h("span", { class: "took" }, took), closed ? h("span", { class: "muted" }, `(${kids.length} hidden)`) : null);
      const item = h("li", { "data-id": p.id, "data-state": p.state }, row);
      if (kids.length && !closed && depth < 200) item.append(h("ul", {}, kids.map((k) => branch(k, depth + 1))));
      return item;
    };
    const summary = h("div", { class: "summary" }, h("span", {}, `${data.promises.length} promises`),
      Object.entries(counts).map(([state, n]) => h("span", {}, badge(state), ` ${n}`)),
      data.complete ? null : h("span", { class: "error" }, "(the lineage is larger than shown)"));
    holder.replaceChildren(summary, h("ul", { class: "tree", "data-tree": data.root }, branch(byId.get(data.root), 0)));
    const running = data.promises.some((p) => p.state === "pending");
    indicator.classList.toggle("on", running);
    indicator.textContent = running ? "live" : "settled";
    return running;
  };
  draw(await api(path));
  const node = h("div", {}, h("div", { class: "heading" },
    h("div", {}, h("h1", {}, rootId), h("p", { class: "sub muted" }, "Call tree")),
    h("div", { class: "buttons" }, indicator, h("a", { href: `#/promise/${generation}/${enc(rootId)}` }, "the root promise"))),
  h("div", { class: "panel" }, holder));
  // Keep looking a little while after the last pending step settles: a workflow may
  // add steps between the moment a child resolves and the moment it is resumed.
  let quietTicks = 0;
  return {
    node,
    live: async () => {
      const running = draw(await api(path));
      quietTicks = running ? 0 : quietTicks + 1;
      return quietTicks < 5;
    },
  };
}

// -- tasks ------------------------------------------------------------------------------

const TASK_STATES = ["all", "pending", "acquired", "suspended", "halted", "fulfilled"];

async function tasksView(query) {
  const state = TASK_STATES.includes(query.get("state")) ? query.get("state") : "all";
  const path = `/tasks?${query.toString()}`;
  const fields = [
    select("state", TASK_STATES, state, "State"),
    h("label", {}, "Worker group", h("input", { name: "group", value: query.get("group") || "", placeholder: "workers" })),
  ];
  const form = filterForm(fields, (form) => {
    const next = new URLSearchParams();
    if (form.get("state") !== "all") next.set("state", form.get("state"));
    if (form.get("group")) next.set("group", form.get("group").trim());
    go(`#/tasks?${next}`);
  });
  const holder = h("div", {});
  const draw = (data) => {
    const rows = data.tasks.map((t) => h("tr", { "data-id": t.id },
      h("td", { class: "id" }, promiseLink("current", t.id)),
      h("td", {}, badge(t.state)),
      h("td", {}, t.group || h("span", { class: "muted" }, "–")),
      h("td", { class: "wide-only" }, `v${t.version}`),
      h("td", { class: "wide-only mono" }, t.pid || "–"),
      h("td", {}, t.leaseExpiresAt ? h("span", {}, "lease ", time(t.leaseExpiresAt))
        : t.retryAt ? h("span", {}, "send ", time(t.retryAt)) : h("span", { class: "muted" }, "–")),
      h("td", {}, taskButtons(t))));
    holder.replaceChildren(h("div", { class: "table-wrap" }, h("table", { "data-table": "tasks" },
      h("thead", {}, h("tr", {}, ["Task", "State", "Worker group", "Version", "Held by", "Next", ""].map((c, i) =>
        h("th", { class: i === 3 || i === 4 ? "wide-only" : null }, c)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 7, class: "muted" }, "No tasks match."))))),
    pager(query, data.cursor, "#/tasks"));
    return true;
  };
  draw(await api(path));
  return {
    node: h("div", {}, h("div", { class: "heading" }, h("h1", {}, "Tasks"), h("span", { class: "live on" }, "live")),
      form, h("div", { class: "panel" }, holder)),
    live: async () => draw(await api(path)),
  };
}

// -- schedules --------------------------------------------------------------------------

async function schedulesView(query) {
  const generation = query.get("generation") === "legacy" ? "legacy" : "current";
  const data = await api(`/schedules?${query.toString()}`);
  const form = filterForm([select("generation", ["current", "legacy"], generation, "Protocol")], (form) => {
    go(`#/schedules?generation=${form.get("generation")}`);
  });
  const rows = data.schedules.map((s) => h("tr", { "data-id": s.id },
    h("td", { class: "id" }, h("a", { href: `#/schedule/${generation}/${enc(s.id)}` }, s.id)),
    h("td", { class: "mono" }, s.cron),
    h("td", {}, time(s.nextRunAt)),
    h("td", {}, time(s.lastRunAt)),
    h("td", { class: "wide-only mono" }, s.promiseId)));
  return h("div", {}, h("div", { class: "heading" }, h("h1", {}, "Schedules")), form,
    h("div", { class: "panel" }, h("div", { class: "table-wrap" }, h("table", { "data-table": "schedules" },
      h("thead", {}, h("tr", {}, h("th", {}, "Id"), h("th", {}, "Cron (UTC)"), h("th", {}, "Next run"),
        h("th", {}, "Last run"), h("th", { class: "wide-only" }, "Promise id"))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No schedules."))))),
    pager(query, data.cursor, "#/schedules")));
}

async function scheduleView(generation, id) {
  const data = await api(`/schedules/${generation}/${enc(id)}`);
  const s = data.schedule;
  const remove = async () => {
    const answer = await confirmAction({
      title: `Delete schedule ${s.id}?`,
      message: "It creates no more promises; those it created stay.",
      confirm: "Delete",
      run: () => api(`/schedules/${generation}/${enc(s.id)}/delete`, { method: "POST" }),
    });
    if (answer) {
      flash(`schedule ${s.id} deleted`);
      go(`#/schedules?generation=${generation}`);
    }
  };
  const runs = data.promises.map((p) => h("tr", { "data-id": p.id },
    h("td", { class: "id" }, promiseLink(generation, p.id)), h("td", {}, badge(p.state)), h("td", {}, time(p.createdAt))));
  return h("div", { class: "stack" },
    h("div", { class: "heading" }, h("div", {}, h("h1", {}, s.id), h("p", { class: "sub muted" }, "Schedule")),
      h("button", { class: "danger", onclick: remove }, "Delete")),
    h("div", { class: "grid2" }, h("div", { class: "panel" }, facts([
      ["Cron (UTC)", h("span", { class: "mono" }, s.cron)],
      ["Next run", h("span", {}, when(s.nextRunAt), " ", h("span", { class: "muted" }, `(${relative(s.nextRunAt)})`))],
      ["Last run", s.lastRunAt ? when(s.lastRunAt) : "never"],
      ["Promise id", h("span", { class: "mono" }, s.promiseId)],
      ["Promise timeout", span(s.promiseTimeout)],
      ["Promise tags", h("div", {}, tags(s.promiseTags))],
      ["Created", when(s.createdAt)],
    ])), valueBlock("Param", s.promiseParam)),
    h("div", { class: "panel" }, h("h2", {}, "Promises it created (newest first)"), h("div", { class: "table-wrap" },
      h("table", {}, h("tbody", {}, runs.length ? runs : h("tr", {}, h("td", { class: "muted" }, "None yet.")))))));
}

// -- the server -------------------------------------------------------------------------

const METRIC_NAMES = {
  resonate_requests: "requests",
  resonate_coroutines: "coroutines in flight",
  resonate_queued_requests: "requests queued",
  resonate_poll_streams: "poll streams",
  resonate_store_round_trips: "store round trips",
  resonate_store_errors: "store errors",
  resonate_messages: "messages",
  resonate_promises_created: "promises created",
  resonate_promises_settled: "promises settled",
  resonate_promises: "promises stored",
  resonate_tasks: "tasks stored",
};

async function serverView() {
  const data = await api("/server");
  const cards = data.metrics.map((m) => {
    const labels = Object.values(m.labels).filter(Boolean).join(" · ");
    return h("div", { class: "card", "data-metric": m.metric },
      h("div", { class: "figure" }, Number.isInteger(m.value) ? m.value.toLocaleString() : m.value.toFixed(2)),
      h("div", { class: "label" }, METRIC_NAMES[m.metric] || m.metric, labels ? ` (${labels})` : ""));
  });
  const settings = data.settings.map((s) => h("tr", {},
    h("td", { class: "mono" }, s.name), h("td", { class: "mono", "data-setting": s.name }, s.value || h("span", { class: "muted" }, "(empty)")),
    h("td", { class: "wide-only muted" }, s.help)));
  return h("div", { class: "stack" },
    h("div", { class: "heading" }, h("h1", {}, "Server"),
      h("span", { class: `badge ${data.ready ? "resolved" : "rejected"}`, "data-ready": String(data.ready) },
        data.ready ? "ready" : `not ready: ${data.down.join(", ")}`)),
    h("div", { class: "panel" }, h("h2", {}, "Key metrics"), h("div", { class: "cards" }, cards),
      h("p", { class: "muted" }, "All of them, for Prometheus: ", h("a", { href: "/metrics" }, "/metrics"))),
    h("div", { class: "panel" }, h("h2", {}, "Settings in force"), h("div", { class: "table-wrap" },
      h("table", { "data-table": "settings" }, h("tbody", {}, settings)))));
}

// -- confirmation -----------------------------------------------------------------------

// Shows the dialog; runs `run(value)` on confirmation and resolves with its answer, or
// null when cancelled. A refused action keeps the dialog open with the server's reason.
function confirmAction({ title, message, withValue, confirm, run, danger = true }) {
  const dialog = document.getElementById("confirm");
  const valueLabel = document.getElementById("confirm-value-label");
  const valueInput = document.getElementById("confirm-value");
  const errorText = document.getElementById("confirm-error");
  const okButton = document.getElementById("confirm-ok");
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-message").textContent = message;
  valueLabel.hidden = !withValue;
  valueInput.value = "";
  errorText.hidden = true;
  okButton.textContent = confirm;
  okButton.className = danger ? "danger" : "";
  return new Promise((resolve) => {
    const onClick = async (event) => {
      event.preventDefault();
      const value = withValue ? valueInput.value.trim() : "";
      if (value) {
        try {
          JSON.parse(value);
        } catch (error) {
          errorText.textContent = "The value must be JSON, such as {\"ok\": true} or \"text\".";
          errorText.hidden = false;
          return;
        }
      }
      okButton.disabled = true;
      try {
        const answer = await run(value);
        finish(answer);
      } catch (error) {
        errorText.textContent = error.message;
        errorText.hidden = false;
      } finally {
        okButton.disabled = false;
      }
    };
    const onClose = () => finish(null);
    const finish = (answer) => {
      okButton.removeEventListener("click", onClick);
      dialog.removeEventListener("close", onClose);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    okButton.addEventListener("click", onClick);
    dialog.addEventListener("close", onClose);
    dialog.showModal();
  });
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);

// Marsad dashboard. Every value from the database is untrusted article content: the DOM is built with
// createElement/textContent only (never innerHTML with data), and the page runs under a CSP with no inline script.
"use strict";

const TYPES_AR = {CONSULT: "تشاور", ASSAULT: "اعتداء", REQUEST: "طلب", AGREE: "اتفاق", COERCE: "إكراه",
  SUPPORT: "دعم", ACCUSE: "اتهام", AID: "مساعدة", REJECT: "رفض", THREATEN: "تهديد", RETREAT: "تراجع",
  COOPERATE: "تعاون", SANCTION: "عقوبات", CONCEDE: "تنازل", MOBILIZE: "تعبئة", PROTEST: "احتجاج"};
const MODALITY_AR = {asserted: "مؤكد", expected: "متوقع", hypothetical: "افتراضي", negated: "منفي"};
const ROLE_AR = {trigger: "الفعل", source: "المصدر", target: "الهدف", location: "المكان", attribution: "المصدر المنسوب إليه"};
const QUAD_COLOURS = {1: "#74c476", 2: "#238b45", 3: "#fd8d3c", 4: "#d7301f"};
const TYPE_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
  "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173"];
const SVGNS = "http://www.w3.org/2000/svg";
const PAGE = 50;

// view: the date inputs (the timeline's extent); brush: a range dragged on the timeline, within it; opening: the
// range the page opened on (the bulk of the events), while the date inputs still show it
const state = {filters: {}, view: {}, offset: 0, brush: null, types: [], networkSize: 15, opening: null};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}
function svg(tag, attrs, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = String(text);
  return node;
}
const ar = (text) => el("span", {lang: "ar", dir: "rtl"}, text ?? "");
const bi = (en, arText) => el("span", {}, en ?? "", arText ? " · " : "", arText ? ar(arText) : null);

function query(extra) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({...state.filters, ...(extra || {})})) if (v) p.set(k, v);
  return p.toString();
}
async function api(path, extra) {
  const q = query(extra);
  const r = await fetch("/api/" + path + (q ? (path.includes("?") ? "&" : "?") + q : ""));
  if (!r.ok) throw new Error(path + ": " + r.status);
  return r.json();
}

// ---- filters -------------------------------------------------------------------------------------------

function readForm() {
  const f = new FormData(document.getElementById("filters"));
  const out = {};
  for (const [k, v] of f.entries()) if (String(v).trim()) out[k] = String(v).trim();
  state.view = {since: out.since, until: out.until};
  const o = state.opening;
  document.getElementById("range-note").hidden = !(o && out.since === o[0] && out.until === o[1]);
  if (state.brush) { out.since = state.brush[0]; out.until = state.brush[1]; }
  return out;
}
function apply() { state.filters = readForm(); state.offset = 0; refresh(); }
function setFilter(name, value) {
  document.getElementById("filters").elements[name].value = value;
  apply();
}

// ---- map -----------------------------------------------------------------------------------------------

let map, cluster;
async function initMap() {
  map = L.map("map", {worldCopyJump: true, minZoom: 2, maxZoom: 12}).setView([28, 40], 4);
  const r = await fetch("/static/countries.geojson");
  const countries = await r.json();
  L.geoJSON(countries, {style: {color: "#777", weight: 0.7, fillColor: "#f2efe6", fillOpacity: 1},
    interactive: false}).addTo(map);
  cluster = L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false}).addTo(map);
}
async function loadMap() {
  const data = await api("map");
  cluster.clearLayers();
  const markers = data.points.map((p) => {
    const m = L.circleMarker([p.lat, p.lon], {radius: Math.min(4 + 3 * Math.sqrt(p.mentions || p.n), 22),
      color: "#333", weight: 0.6, fillColor: QUAD_COLOURS[p.quad_class] || "#888", fillOpacity: 0.85});
    m.on("click", () => showPlace(p));
    return m;
  });
  cluster.addLayers(markers);
  document.getElementById("map").dataset.points = String(markers.length);
}
async function showPlace(p) {
  const data = await api("events", {near: p.lat + "," + p.lon + ",1", limit: 100, offset: 0});
  const detail = clearDetail(bi("Events at " + (p.place || ""), "أحداث في المكان"));
  detail.append(el("p", {}, bi(data.total + " events", "أحداث")));
  const ul = el("ul");
  for (const e of data.events) {
    ul.append(el("li", {}, el("a", {onclick: () => showEvidence(e.article, e.n)}, (e.date || "") + " " + e.type),
      " ", ar(e.trigger_text), " — ", ar(e.source_text || ""), " → ", ar(e.target_text || "")));
  }
  detail.append(ul);
}

// ---- opening range -------------------------------------------------------------------------------------

// A few events dated decades off (a misread year) would stretch the timeline over a century and head the table:
// the page opens on the shortest range of days that holds OPENING_SHARE of the dated events, put in the date
// inputs (so the user sees it, and widens it or clears it).
const OPENING_SHARE = 0.98;
async function openingRange() {
  const data = await (await fetch("/api/timeline?bucket=day")).json();
  const perDay = new Map();
  for (const s of data.series) perDay.set(s.bucket, (perDay.get(s.bucket) || 0) + s.n);
  const days = [...perDay.keys()].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  if (days.length < 2) return null;
  const counts = days.map((d) => perDay.get(d)), time = days.map((d) => Date.parse(d + "T00:00:00Z"));
  const need = Math.ceil(OPENING_SHARE * counts.reduce((a, c) => a + c, 0));
  let best = null, sum = 0, lo = 0;
  for (let hi = 0; hi < days.length; hi++) {
    sum += counts[hi];
    while (sum - counts[lo] >= need) sum -= counts[lo++];
    if (sum >= need && (!best || time[hi] - time[lo] < time[best[1]] - time[best[0]])) best = [lo, hi];
  }
  if (!best || (best[0] === 0 && best[1] === days.length - 1)) return null;  // nothing stray: all dates
  return [days[best[0]], days[best[1]]];
}

// ---- timeline ------------------------------------------------------------------------------------------

let timelineBuckets = [];
async function loadTimeline() {
  const bucket = document.getElementById("bucket").value;
  // the timeline shows the dates of the date inputs (all dates when they are empty); the brush marks a selection
  const {since, until, ...rest} = state.filters;
  const q = new URLSearchParams({...rest, bucket});
  if (state.view.since) q.set("since", state.view.since);
  if (state.view.until) q.set("until", state.view.until);
  const data = await (await fetch("/api/timeline?" + q)).json();
  const byBucket = new Map();
  for (const s of data.series) {
    if (!byBucket.has(s.bucket)) byBucket.set(s.bucket, {});
    byBucket.get(s.bucket)[s.type] = s.n;
  }
  timelineBuckets = [...byBucket.keys()].sort();
  const node = document.getElementById("timeline");
  node.replaceChildren();
  const W = node.clientWidth || 800, H = node.clientHeight || 180, pad = 18;
  const max = Math.max(1, ...timelineBuckets.map((b) => Object.values(byBucket.get(b)).reduce((a, c) => a + c, 0)));
  const bw = (W - 2 * pad) / Math.max(1, timelineBuckets.length);
  timelineBuckets.forEach((b, i) => {
    let y = H - pad;
    const counts = byBucket.get(b);
    for (const t of state.types) {
      const n = counts[t];
      if (!n) continue;
      const h = (H - 2 * pad) * n / max;
      y -= h;
      const rect = svg("rect", {class: "bar", x: pad + i * bw, y, width: Math.max(1, bw - 0.5), height: h,
        fill: TYPE_COLOURS[state.types.indexOf(t) % TYPE_COLOURS.length]});
      rect.append(svg("title", {}, b + " " + t + ": " + n));
      node.append(rect);
    }
  });
  if (timelineBuckets.length) {
    node.append(svg("text", {class: "axis", x: pad, y: H - 4}, timelineBuckets[0]));
    node.append(svg("text", {class: "axis", x: W - pad, y: H - 4, "text-anchor": "end"},
      timelineBuckets[timelineBuckets.length - 1]));
    node.append(svg("text", {class: "axis", x: pad, y: 12}, String(max)));
  }
  const brush = svg("rect", {class: "brush", y: pad / 2, height: H - 1.5 * pad, x: 0, width: 0, visibility: "hidden"});
  node.append(brush);
  if (state.brush) {
    const i0 = timelineBuckets.findIndex((b) => b >= bucketStart(state.brush[0]));
    let i1 = timelineBuckets.length - 1;
    while (i1 > 0 && timelineBuckets[i1] > state.brush[1]) i1--;
    if (i0 >= 0 && i1 >= i0) {
      brush.setAttribute("x", pad + i0 * bw); brush.setAttribute("width", (i1 - i0 + 1) * bw);
      brush.setAttribute("visibility", "visible");
    }
  }
  node.dataset.bars = String(node.querySelectorAll("rect.bar").length);
  let start = null;
  const index = (ev) => {
    const box = node.getBoundingClientRect();
    return Math.max(0, Math.min(timelineBuckets.length - 1, Math.floor((ev.clientX - box.left - pad) / bw)));
  };
  node.onmousedown = (ev) => { start = index(ev); ev.preventDefault(); };
  node.onmousemove = (ev) => {
    if (start === null) return;
    const i = index(ev), a = Math.min(start, i), b = Math.max(start, i);
    brush.setAttribute("x", pad + a * bw); brush.setAttribute("width", (b - a + 1) * bw);
    brush.setAttribute("visibility", "visible");
  };
  node.onmouseup = (ev) => {
    if (start === null) return;
    const i = index(ev), a = Math.min(start, i), b = Math.max(start, i);
    start = null;
    const last = timelineBuckets[b];
    state.brush = [timelineBuckets[a], bucket === "week" ? addDays(last, 6) : last];
    apply();
  };
}
function addDays(iso, n) {
  const d = new Date(iso + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10);
}
function bucketStart(iso) {
  if (document.getElementById("bucket").value !== "week") return iso;
  const d = new Date(iso + "T00:00:00Z"); const wd = (d.getUTCDay() + 6) % 7; return addDays(iso, -wd);
}

// ---- network -------------------------------------------------------------------------------------------

// The strongest ties first: the actors with the most events between them, NETWORK_DEFAULT of them until the
// slider asks for more (up to every actor of the API's NETWORK_EDGES strongest pairs), laid out by a seeded
// force simulation of a fixed number of steps (the same drawing for the same data), labels never overlapping:
// a label with no free place beside its node is hidden, and shown when the node is hovered.
const NETWORK_DEFAULT = 15, NETWORK_EDGES = 500, LAYOUT_STEPS = 300, GRAVITY = 0.3;
let network = {nodes: [], edges: []}, networkSeq = 0;

async function loadNetwork() {
  const seq = ++networkSeq;
  const data = await api("network", {limit: NETWORK_EDGES});
  if (seq !== networkSeq) return;  // an older request answered after a newer one
  const events = new Map();
  for (const e of data.edges) for (const id of [e.source, e.target]) events.set(id, (events.get(id) || 0) + e.n);
  for (const n of data.nodes) n.events = events.get(n.id) || 0;
  data.nodes.sort((a, b) => b.events - a.events || (b.mentions || 0) - (a.mentions || 0) || (a.id < b.id ? -1 : 1));
  network = data;
  const slider = document.getElementById("network-size");
  slider.max = String(Math.max(1, data.nodes.length));
  slider.min = String(Math.min(2, Math.max(1, data.nodes.length)));
  slider.value = String(Math.min(state.networkSize, data.nodes.length));
  slider.disabled = data.nodes.length <= 2;
  drawNetwork();
}

function seededRandom(seed) {  // mulberry32: a small deterministic generator
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function forceLayout(ids, edges, W, H, margin) {
  // Fruchterman–Reingold: every pair repels (k²/d), every edge pulls (d²/k), a weak pull to the centre keeps
  // unconnected actors in view; the step shrinks each round, so the fixed number of rounds settles.
  const n = ids.length, at = new Map(ids.map((id, i) => [id, i])), rand = seededRandom(24);
  const x = ids.map(() => W / 2 + (rand() - 0.5) * W * 0.6), y = ids.map(() => H / 2 + (rand() - 0.5) * H * 0.6);
  const links = edges.map((e) => [at.get(e.source), at.get(e.target)]);
  const k = Math.min(70, 0.75 * Math.sqrt((W - 2 * margin) * (H - 2 * margin) / Math.max(1, n)));
  let step = Math.min(W, H) / 6;
  for (let round = 0; round < LAYOUT_STEPS; round++) {
    const dx = new Float64Array(n), dy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let ux = x[i] - x[j], uy = y[i] - y[j];
        if (ux === 0 && uy === 0) { ux = rand() - 0.5; uy = rand() - 0.5; }
        const f = k * k / Math.max(ux * ux + uy * uy, 1);
        dx[i] += ux * f; dy[i] += uy * f; dx[j] -= ux * f; dy[j] -= uy * f;
      }
    }
    for (const [a, b] of links) {
      const ux = x[a] - x[b], uy = y[a] - y[b], f = Math.hypot(ux, uy) / k;
      dx[a] -= ux * f; dy[a] -= uy * f; dx[b] += ux * f; dy[b] += uy * f;
    }
    for (let i = 0; i < n; i++) {
      dx[i] += (W / 2 - x[i]) * GRAVITY; dy[i] += (H / 2 - y[i]) * GRAVITY;
      const len = Math.hypot(dx[i], dy[i]);
      if (len > 0) { x[i] += dx[i] / len * Math.min(len, step); y[i] += dy[i] / len * Math.min(len, step); }
      x[i] = Math.max(margin, Math.min(W - margin, x[i])); y[i] = Math.max(margin, Math.min(H - margin, y[i]));
    }
    step = Math.max(0.5, step * 0.985);
  }
  return new Map(ids.map((id, i) => [id, [x[i], y[i]]]));
}

function drawNetwork() {
  const node = document.getElementById("network");
  node.replaceChildren();
  const W = node.clientWidth || 500, H = node.clientHeight || 380;
  const shown = network.nodes.slice(0, Math.max(0, Math.min(state.networkSize, network.nodes.length)));
  const ids = new Set(shown.map((n) => n.id));
  const edges = network.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const pos = forceLayout(shown.map((n) => n.id), edges, W, H, 30);
  const maxN = Math.max(1, ...edges.map((e) => e.n));
  for (const e of edges) {
    const [x1, y1] = pos.get(e.source), [x2, y2] = pos.get(e.target);
    const line = svg("line", {x1, y1, x2, y2, class: "edge", "stroke-opacity": 0.6,
      stroke: e.conflict > e.cooperation ? "#d7301f" : "#238b45", "stroke-width": 1 + 6 * e.n / maxN});
    line.append(svg("title", {}, e.source + " → " + e.target + ": " + e.n + " (cooperation " + e.cooperation +
      ", conflict " + e.conflict + ")"));
    node.append(line);
  }
  const maxD = Math.max(1, ...shown.map((n) => n.events));
  const drawn = [];
  for (const n of shown) {
    const [x, y] = pos.get(n.id), r = 4 + 10 * Math.sqrt(n.events / maxD);
    const g = svg("g", {class: "node" + (state.filters.actor === n.id ? " active" : ""), "data-actor": n.id});
    g.append(svg("title", {}, (n.name || n.id) + " (" + n.id + "): " + n.events + " events"));
    g.append(svg("circle", {cx: x, cy: y, r}));
    const name = n.name || n.id;
    const label = svg("text", {x: x + r + 3, y: y + 4}, name.length > 28 ? name.slice(0, 27) + "…" : name);
    g.append(label);
    g.addEventListener("click", () => setFilter("actor", state.filters.actor === n.id ? "" : n.id));
    g.addEventListener("mouseenter", () => { if (node.lastChild !== g) node.append(g); });  // its label on top
    node.append(g);
    drawn.push({x, y, r, label});
  }
  placeLabels(drawn, W, H);
  node.dataset.nodes = String(shown.length);
  node.dataset.edges = String(edges.length);
  node.dataset.actors = String(network.nodes.length);
  document.getElementById("network-shown").textContent =
    shown.length + " / " + network.nodes.length + " actors · فاعلا";
}

function placeLabels(drawn, W, H) {
  // In rank order, each label takes the first place (right, left, above, below its node) that stays inside the
  // drawing and overlaps no label already placed and no other node; a label with no such place is hidden.
  const placed = drawn.map((d) => ({x: d.x - d.r, y: d.y - d.r, width: 2 * d.r, height: 2 * d.r, own: d}));
  const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  for (const d of drawn) {
    const spots = [[d.x + d.r + 3, d.y + 4, "start"], [d.x - d.r - 3, d.y + 4, "end"],
      [d.x, d.y - d.r - 4, "middle"], [d.x, d.y + d.r + 12, "middle"]];
    let ok = false;
    for (const [x, y, anchor] of spots) {
      d.label.setAttribute("x", x); d.label.setAttribute("y", y); d.label.setAttribute("text-anchor", anchor);
      const b = d.label.getBBox(), box = {x: b.x - 1, y: b.y - 1, width: b.width + 2, height: b.height + 2};
      if (box.x < 0 || box.y < 0 || box.x + box.width > W || box.y + box.height > H) continue;
      if (placed.some((p) => p.own !== d && overlaps(box, p))) continue;
      placed.push({...box, own: d});
      ok = true;
      break;
    }
    if (!ok) {  // back to the right of the node, shown on hover
      d.label.setAttribute("x", d.x + d.r + 3); d.label.setAttribute("y", d.y + 4);
      d.label.setAttribute("text-anchor", "start");
      d.label.classList.add("hover-only");
    }
  }
}

// ---- table ---------------------------------------------------------------------------------------------

async function loadTable() {
  const data = await api("events", {limit: PAGE, offset: state.offset});
  const count = document.getElementById("count");
  count.dataset.total = String(data.total);
  count.replaceChildren(bi(data.total + " events", "حدثا"));
  const tbody = document.querySelector("#events tbody");
  tbody.replaceChildren();
  for (const e of data.events) {
    const tr = el("tr", {"data-article": e.article, "data-n": e.n},
      el("td", {}, e.date || ""), el("td", {}, bi(e.type, TYPES_AR[e.type])),
      el("td", {}, bi(e.modality, MODALITY_AR[e.modality])),
      el("td", {}, ar(e.source_text || ""), e.source_name ? el("div", {}, e.source_name) : null),
      el("td", {}, ar(e.target_text || ""), e.target_name ? el("div", {}, e.target_name) : null),
      el("td", {}, ar(e.location_text || "")), el("td", {}, ar(e.trigger_text)),
      el("td", {}, el("a", {class: "article-link", onclick: (ev) => { ev.stopPropagation(); showArticle(e.article); }},
        e.doc_id)));
    tr.addEventListener("click", () => {
      for (const s of tbody.querySelectorAll("tr.selected")) s.classList.remove("selected");
      tr.classList.add("selected");
      showEvidence(e.article, e.n);
    });
    tbody.append(tr);
  }
  document.getElementById("page").textContent = data.total ?
    (state.offset + 1) + "–" + (state.offset + data.events.length) + " / " + data.total : "0";
}

// ---- evidence and article ------------------------------------------------------------------------------

function clearDetail(title) {
  document.getElementById("detail-title").replaceChildren(title);
  const d = document.getElementById("detail"); d.replaceChildren(); return d;
}
function highlighted(text, spans) {
  // The article as text nodes, with <mark> around each span (spans may not overlap: a later overlapping one is
  // dropped). Offsets are Python str indices, i.e. code points: iterate over code points, not UTF-16 units.
  const chars = Array.from(text);
  const box = el("div", {class: "article-text", dir: "rtl", lang: "ar"});
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    box.append(chars.slice(at, s.start).join(""));
    const m = el("mark", {class: s.role, title: s.role + (ROLE_AR[s.role] ? " · " + ROLE_AR[s.role] : ""),
      "data-role": s.role}, chars.slice(s.start, s.end).join(""));
    box.append(m);
    at = s.end;
  }
  box.append(chars.slice(at).join(""));
  return box;
}
function labels(pairs) {
  const dl = el("dl", {class: "labels"});
  for (const [k, v] of pairs) if (v !== null && v !== undefined && v !== "") dl.append(el("dt", {}, k), el("dd", {}, v));
  return dl;
}
async function showEvidence(article, n) {
  const r = await fetch("/api/events/" + encodeURIComponent(article) + "/" + encodeURIComponent(n));
  const data = await r.json();
  const e = data.event, a = data.article;
  const d = clearDetail(bi("Evidence", "الدليل"));
  d.dataset.event = article + "/" + n;
  d.append(el("h3", {dir: "auto"}, a.title || a.doc_id),
    el("p", {}, (a.published || "") + " · " + (a.outlet || "") + " · ",
      el("a", {class: "article-link", onclick: () => showArticle(a.id)}, bi("the whole article", "المقال كاملا"))));
  d.append(labels([
    [bi("Event type", "نوع الحدث"), bi(e.type + (e.mode ? " / " + e.mode : "") + " (CAMEO " + (e.cameo || "—") + ")",
      TYPES_AR[e.type])],
    [bi("Quad class", "الفئة"), String(e.quad_class ?? "") + (e.goldstein !== null ? " · Goldstein " + e.goldstein : "")],
    [bi("Modality", "الصيغة"), bi(e.modality, MODALITY_AR[e.modality])],
    [bi("Source", "المصدر"), el("span", {}, ar(e.source_text || "—"), " = ", e.source_name || e.source_actor_id || "—")],
    [bi("Target", "الهدف"), el("span", {}, ar(e.target_text || "—"), " = ", e.target_name || e.target_actor_id || "—")],
    [bi("Place", "المكان"), el("span", {}, ar(e.location_text || "—"),
      e.lat !== null ? " (" + e.lat + ", " + e.lon + ")" : "")],
    [bi("According to", "بحسب"), ar(e.attribution_text || "—")],
    [bi("Date", "التاريخ"), (e.date || "—") + " (" + e.date_precision + ")"],
    [bi("Reported by", "عدد التقارير"), e.cluster_id ? e.mentions + " mentions in " + e.articles + " articles" : "—"],
  ]));
  d.append(highlighted(a.text, data.spans));
  d.append(el("h3", {}, bi("Why it was coded so", "سبب الترميز")));
  d.append(labels(Object.entries(e.explanation || {}).map(([k, v]) =>
    [k, el("span", {dir: "auto"}, typeof v === "string" ? v : JSON.stringify(v))])));
}
async function showArticle(article) {
  const r = await fetch("/api/articles/" + encodeURIComponent(article));
  const a = await r.json();
  const d = clearDetail(bi("Article", "المقال"));
  d.dataset.article = String(article);
  d.append(el("h3", {dir: "auto"}, a.title || a.doc_id),
    el("p", {}, (a.published || "") + " · " + (a.outlet || "") + " · " + a.doc_id + " · " + a.country_context.join(" ")));
  if (a.url) d.append(el("p", {class: "hint"}, a.url));  // shown, not linked: the dashboard stays offline
  const spans = a.entities.map((x) => ({role: "entity", start: x.start, end: x.end}));
  d.append(highlighted(a.text, spans));
  const rec = el("div", {class: "records"});
  rec.append(el("h3", {}, bi("Events (" + a.events.length + ")", "الأحداث")));
  const ev = el("ul");
  for (const e of a.events) ev.append(el("li", {}, el("a", {class: "event-link", onclick: () => showEvidence(a.id, e.n)},
    e.type + " · " + (TYPES_AR[e.type] || "")), " ", ar(e.trigger_text), " — ", ar(e.source_text || ""), " → ",
    ar(e.target_text || ""), " @ ", ar(e.location_text || ""), " (" + e.modality + ")"));
  rec.append(ev);
  rec.append(el("h3", {}, bi("Entities (" + a.entities.length + ")", "الكيانات")));
  const en = el("ul");
  for (const x of a.entities) en.append(el("li", {}, ar(x.text), " — " + x.type + (x.canonical ? " = " + x.canonical : "") +
    (x.place_name ? " @ " + x.place_name : "") + " ", el("span", {class: "hint"}, x.explanation)));
  rec.append(en);
  rec.append(el("h3", {}, bi("Quantities (" + a.quantities.length + ")", "الأعداد")));
  const qu = el("ul");
  for (const x of a.quantities) qu.append(el("li", {}, ar(x.text), " — " + (x.what || "") + " " + (x.value ?? "") +
    (x.of_text ? " of " : ""), x.of_text ? ar(x.of_text) : null));
  rec.append(qu);
  rec.append(el("h3", {}, bi("Stances (" + a.stances.length + ")", "المواقف")));
  const st = el("ul");
  for (const x of a.stances) st.append(el("li", {}, ar(x.holder_text || ""), " — " + x.polarity + " — ",
    ar(x.object_text || ""), x.event ? " (" + x.event + ")" : ""));
  rec.append(st);
  d.append(rec);
}

// ---- watch: alerts and sources ------------------------------------------------------------------------

// What `marsad watch` writes beside the events: the alerts it raised and the health of the sources it polls. Both
// panels stay hidden on a store no watch has used (a one-line note says so). Payload keys are whatever the watch
// wrote: each is shown when present, none is required.
const HEALTH = {ok: ["ok", "سليم"], late: ["late or failing now and then", "متأخر"],
  failing: ["failing", "معطل"], waiting: ["not polled yet", "في الانتظار"]};
let lastAlertId = null;

function when(iso) { return iso ? String(iso).replace("T", " ").slice(0, 16) : "—"; }
function age(seconds) {
  if (seconds === null || seconds === undefined) return "never · أبدا";
  if (seconds < 90) return seconds + " s ago";
  if (seconds < 5400) return Math.round(seconds / 60) + " min ago";
  if (seconds < 172800) return Math.round(seconds / 3600) + " h ago";
  return Math.round(seconds / 86400) + " days ago";
}
function withTrigger(sentence, trigger) {
  // the sentence as text, its trigger word(s) in a <mark> where they occur in it
  const box = el("p", {class: "alert-sentence", dir: "rtl", lang: "ar"});
  const i = trigger ? sentence.indexOf(trigger) : -1;
  if (i < 0) { box.append(sentence); return box; }
  box.append(sentence.slice(0, i), el("mark", {class: "trigger"}, trigger), sentence.slice(i + trigger.length));
  return box;
}
function eventRef(a) {
  // [article, n] for the evidence view: the alert's own columns, else its payload's event id doc_id#vN
  if (a.article && a.event_n) return [a.article, a.event_n];
  const m = /^(.+)#v(\d+)$/.exec(String(a.event || a.payload.event || ""));
  return m ? [m[1], Number(m[2])] : null;
}
function evidenceLink(ref, text) {
  return el("a", {class: "evidence-link", onclick: () => showEvidence(ref[0], ref[1])}, text);
}
function alertItem(a, fresh) {
  const p = a.payload || {};
  const li = el("li", {class: "alert " + (a.kind || "") + (fresh ? " fresh" : ""), "data-id": a.id});
  li.append(el("div", {class: "alert-head"}, el("b", {}, a.rule), " ",
    el("span", {class: "kind"}, a.kind === "spike" ? bi("spike", "ارتفاع") : bi("event", "حدث")), " ",
    el("span", {class: "hint", dir: "ltr"}, when(a.created))));
  if (a.kind === "spike") {
    const group = p.group || String(a.subject || "").split("|").filter(Boolean).join(" · ");
    li.append(el("div", {}, bi("Group: " + group, null)));
    const figures = [p.count !== undefined ? p.count + " events" : null,
      p.expected !== undefined ? "expected " + Number(p.expected).toFixed(1) : null,
      p.baseline !== undefined ? "baseline " + p.baseline : null,
      p.p_value !== undefined ? "p = " + Number(p.p_value).toPrecision(2) : null].filter(Boolean);
    li.append(el("div", {class: "figures"}, figures.join(" · ")));
    const examples = Array.isArray(p.examples) ? p.examples.slice(0, 5) : [];
    if (examples.length) {
      const ul = el("ul", {class: "examples"});
      for (const x of examples) {
        const id = typeof x === "string" ? x : (x && (x.event || x.doc_id)) || "";
        const text = typeof x === "string" ? x : (x && (x.sentence || x.title)) || id;
        const ref = eventRef({payload: {event: id}});
        ul.append(el("li", {}, ref ? evidenceLink(ref, ar(text)) : ar(text)));
      }
      li.append(ul);
    }
    return li;
  }
  if (p.sentence) li.append(withTrigger(String(p.sentence), p.trigger ? String(p.trigger) : ""));
  else if (p.trigger) li.append(withTrigger(String(p.trigger), String(p.trigger)));
  if (p.source || p.target) {
    li.append(el("div", {}, el("span", {class: "hint"}, "source → target: "), ar(p.source || "—"), " → ",
      ar(p.target || "—")));
  }
  const facts = [];
  if (p.place) facts.push(el("span", {}, el("span", {class: "hint"}, "place: "), ar(p.place)));
  if (p.date) facts.push(p.date);
  if (p.mentions || p.articles) facts.push((p.mentions ?? "?") + " mentions in " + (p.articles ?? "?") + " articles");
  if (p.outlet) facts.push(p.outlet);
  if (facts.length) {
    const div = el("div", {class: "facts"});
    facts.forEach((f, i) => div.append(i ? " · " : "", f));
    li.append(div);
  }
  const ref = eventRef(a);
  const foot = el("div", {class: "hint"});
  if (ref) foot.append(evidenceLink(ref, bi("evidence", "الدليل")), " ");
  const url = a.url || p.url;
  if (url) foot.append(el("span", {class: "url"}, url));  // shown, not linked: the dashboard stays offline
  if (foot.childNodes.length) li.append(foot);
  return li;
}
async function loadAlerts() {
  const data = await (await fetch("/api/alerts?limit=50")).json();
  const list = document.getElementById("alerts");
  const seen = lastAlertId;
  list.replaceChildren(...data.alerts.map((a) => alertItem(a, seen !== null && a.id > seen)));
  lastAlertId = data.alerts.length ? data.alerts[0].id : (seen ?? 0);
  document.getElementById("alerts-count").replaceChildren(bi(data.total + " in all", "المجموع"));
  list.dataset.count = String(data.alerts.length);
  return data.alerts.length;
}
async function loadSources() {
  const data = await (await fetch("/api/sources")).json();
  const tbody = document.querySelector("#sources tbody");
  tbody.replaceChildren(...data.sources.map((s) => {
    const [en, arText] = HEALTH[s.health] || [s.health, ""];
    return el("tr", {"data-source": s.name, "data-health": s.health},
      el("td", {}, el("span", {class: "dot " + s.health, title: en + " · " + arText}), " ", el("span", {dir: "auto"}, s.name),
        el("div", {class: "hint", dir: "auto"}, s.kind + ": " + s.location)),
      el("td", {}, age(s.last_ok_age_s), el("div", {class: "hint"}, "polled " + when(s.last_poll) +
        (s.next_poll ? " · next " + when(s.next_poll) : ""))),
      el("td", {}, String(s.today), el("div", {class: "hint"}, s.articles + " all told")),
      el("td", {class: "error"}, s.consecutive_failures ? s.consecutive_failures + "× " : "",
        el("span", {dir: "auto"}, s.last_error || "")));
  }));
  tbody.dataset.count = String(data.sources.length);
  return data.sources.length;
}
async function loadWatch() {
  const [alerts, sources] = await Promise.all([loadAlerts(), loadSources()]);
  const any = alerts + sources > 0;
  document.getElementById("alerts-panel").hidden = !any;
  document.getElementById("sources-panel").hidden = !any;
  document.getElementById("watch-note").hidden = any;
  document.getElementById("alerts-empty").hidden = alerts > 0;
}

// ---- live refresh --------------------------------------------------------------------------------------

// While `marsad watch` (or an ingest) writes to the store, the page follows: every `?refresh=SECONDS` (default 10)
// it asks /api/stats for the store's change counter, and when that moved it reloads the alerts, the sources and
// the current page of events, the map, the timeline and the network, with the user's filters, page, selection and
// scroll kept. A hidden tab does not poll; it checks at once when shown again.
const REFRESH_S = (() => {
  const v = parseFloat(new URLSearchParams(location.search).get("refresh"));
  return Number.isFinite(v) && v >= 0.2 ? v : 10;
})();
let changes = null, polling = false, pollTimer = null;

async function poll() {
  if (polling || document.visibilityState === "hidden") return;
  polling = true;
  try {
    const stats = await (await fetch("/api/stats")).json();
    if (changes !== null && stats.changes !== changes) await liveUpdate(stats);
    changes = stats.changes;
    document.body.dataset.changes = String(changes);
  } catch (err) {
    // the server stopped or restarted: try again at the next tick
  } finally {
    polling = false;
  }
}
function schedule() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => { await poll(); schedule(); }, REFRESH_S * 1000);
}
function addTypes(types) {
  // a type seen for the first time gets its colour and its option in the filter
  const sel = document.querySelector("#filters select[name=type]");
  for (const t of types) {
    if (state.types.includes(t)) continue;
    state.types.push(t);
    sel.append(el("option", {value: t}, t + (TYPES_AR[t] ? " · " + TYPES_AR[t] : "")));
  }
}
async function liveUpdate(stats) {
  addTypes(stats.types);
  const selected = document.querySelector("#events tbody tr.selected");
  const keep = selected ? [selected.dataset.article, selected.dataset.n] : null;
  await Promise.all([loadWatch(), refresh()]);
  if (keep) {
    const tr = document.querySelector(`#events tbody tr[data-article="${CSS.escape(keep[0])}"][data-n="${CSS.escape(keep[1])}"]`);
    if (tr) tr.classList.add("selected");
  }
  document.body.dataset.live = String(Number(document.body.dataset.live || 0) + 1);
}

// ---- wiring --------------------------------------------------------------------------------------------

async function refresh() {
  await Promise.all([loadTable(), loadMap(), loadTimeline(), loadNetwork()]);
  document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
}
async function init() {
  const stats = await (await fetch("/api/stats")).json();
  changes = stats.changes;
  state.types = stats.types;
  const sel = document.querySelector("#filters select[name=type]");
  for (const t of stats.types) sel.append(el("option", {value: t}, t + (TYPES_AR[t] ? " · " + TYPES_AR[t] : "")));
  const form = document.getElementById("filters");
  form.addEventListener("submit", (ev) => { ev.preventDefault(); state.brush = null; apply(); });
  form.addEventListener("reset", () => { state.brush = null; setTimeout(apply, 0); });
  form.addEventListener("change", (ev) => {  // dates, type and modality apply at once; words wait for Apply
    const name = ev.target.name;
    if (name === "since" || name === "until") state.brush = null;
    if (["since", "until", "type", "modality"].includes(name)) apply();
  });
  document.getElementById("show-all-dates").addEventListener("click", () => {
    state.brush = null; form.elements.since.value = ""; form.elements.until.value = ""; apply();
  });
  const slider = document.getElementById("network-size");
  slider.addEventListener("input", () => { state.networkSize = Number(slider.value); drawNetwork(); });
  document.getElementById("bucket").addEventListener("change", loadTimeline);
  document.getElementById("clear-brush").addEventListener("click", () => {
    state.brush = null; form.elements.since.value = ""; form.elements.until.value = ""; apply();
  });
  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE); loadTable();
  });
  document.getElementById("next").addEventListener("click", () => {
    if (state.offset + PAGE < Number(document.getElementById("count").dataset.total)) { state.offset += PAGE; loadTable(); }
  });
  state.networkSize = NETWORK_DEFAULT;
  state.opening = await openingRange();
  if (state.opening) [form.elements.since.value, form.elements.until.value] = state.opening;
  await initMap();
  state.filters = readForm();
  await loadWatch();
  await refresh();
  document.body.dataset.changes = String(changes);
  document.body.dataset.refresh = String(REFRESH_S);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") poll(); });
  schedule();
}
document.addEventListener("DOMContentLoaded", init);

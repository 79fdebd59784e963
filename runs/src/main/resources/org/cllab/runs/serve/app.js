// cl serve: the page. Polls /api/overview (and /api/run for the selected run) every POLL_MS and redraws what
// changed; all text from the results directory goes into the page as text (never as HTML).
'use strict';

const POLL_MS = 1500;
const STATES = ['running', 'queued', 'pending', 'failed', 'interrupted', 'finished'];
const MODE_ORDER = ['class-incremental', 'task-incremental', 'domain-incremental'];
let selected = null;
let lastRunKey = '';
const drawn = {};     // section id -> JSON last drawn there
const charts = {};    // element id -> echarts instance

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'style') Object.assign(e.style, v);
    else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function fix(v, d = 3) { return v === null || v === undefined ? '–' : Number(v).toFixed(d); }
function duration(s) {
  if (s === null || s === undefined || s < 0) return '';
  s = Math.round(s);
  const m = Math.floor(s / 60), r = s % 60;
  return m >= 60 ? Math.floor(m / 60) + 'h' + String(m % 60).padStart(2, '0') : m + ':' + String(r).padStart(2, '0');
}
function badge(state) { return h('span', {class: 'badge ' + state}, state); }
function preferredMode(keys) {
  for (const m of MODE_ORDER) if (keys.includes(m)) return m;
  return keys.filter(k => k !== 'task-identification')[0] || keys[0];
}

// Viridis, sampled: value 0..1 -> background colour, with a readable text colour.
const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137],
  [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
function colour(v) {
  if (v === null || v === undefined || isNaN(v)) return ['#f0f1f4', '#6b7280'];
  const x = Math.min(1, Math.max(0, v)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
  const c = VIRIDIS[i].map((a, k) => Math.round(a + f * (VIRIDIS[i + 1][k] - a)));
  const lum = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  return ['rgb(' + c.join(',') + ')', lum > 150 ? '#111' : '#fff'];
}

/**
 * An accuracy matrix as a table: row k = after training task k (row 0: untrained), column j = task j.
 * rows: [[k, R[k][1], ..., R[k][T]], ...]; every cell keeps its exact value in data-value.
 */
function heatmap(rows, mode, small) {
  const t = rows.length ? rows[0].length - 1 : 0;
  const head = h('tr', {}, h('th', {}, 'after \\ task'), Array.from({length: t}, (_, j) => h('th', {}, j + 1)));
  const body = rows.map(r => h('tr', {}, h('th', {}, r[0] === 0 ? '0 (untrained)' : r[0]),
    r.slice(1).map((v, j) => {
      const [bg, fg] = colour(v);
      return h('td', {'data-row': r[0], 'data-col': j + 1, 'data-value': v === null ? '' : v,
        title: v === null ? '' : 'after task ' + r[0] + ', task ' + (j + 1) + ': ' + v,
        style: {background: bg, color: fg}}, v === null ? '' : Number(v).toFixed(small ? 2 : 3));
    })));
  return h('table', {class: 'heatmap' + (small ? ' small' : ''), 'data-mode': mode}, h('thead', {}, head),
    h('tbody', {}, body));
}

function chart(id, option) {
  const div = document.getElementById(id);
  if (!div || typeof echarts === 'undefined') return;
  let c = charts[id];
  if (!c || c.getDom() !== div) {
    c = echarts.init(div, null, {renderer: 'canvas'});
    charts[id] = c;
  }
  c.setOption(option, true);
}
window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));

/** ACC after each task: one line per entry, with a ± std band when std is given. */
function accOption(title, entries) {
  const series = [];
  const palette = ['#2f6fdb', '#e4572e', '#1a8f4c', '#9c27b0', '#f0a202', '#00838f', '#6d4c41', '#c2185b'];
  const tasks = Math.max(0, ...entries.map(e => e.mean.length));
  entries.forEach((e, i) => {
    const col = palette[i % palette.length];
    if (e.std && e.std.some(s => s > 0)) {
      series.push({id: 'band-lo-' + i, name: e.name, type: 'line', stack: 'band' + i,
        data: e.mean.map((m, k) => m - e.std[k]), lineStyle: {opacity: 0}, symbol: 'none', silent: true});
      series.push({id: 'band-hi-' + i, name: e.name, type: 'line', stack: 'band' + i, data: e.std.map(s => 2 * s),
        lineStyle: {opacity: 0}, areaStyle: {color: col, opacity: 0.15}, symbol: 'none', silent: true});
    }
    series.push({id: 'mean-' + i, name: e.name, type: 'line', data: e.mean, symbolSize: 6, color: col,
      lineStyle: {width: 2}});
  });
  return {
    animation: false,
    title: {text: title, left: 'center', top: 0, textStyle: {fontSize: 12, fontWeight: 600, color: '#1d2330'}},
    tooltip: {trigger: 'axis', formatter: ps => {
      const mean = ps.filter(p => p.seriesId.startsWith('mean-'));
      if (!mean.length) return '';
      const box = h('div', {}, h('b', {}, 'after task ' + mean[0].name));
      mean.forEach(p => {
        const e = entries[Number(p.seriesId.substring(5))];
        const sd = e.std ? ' ± ' + fix(e.std[p.dataIndex], 4) : '';
        box.appendChild(h('div', {}, h('span', {style: {color: p.color}}, '● '),
          e.name + ': ' + fix(p.value, 4) + sd));
      });
      return box.outerHTML;
    }},
    legend: {bottom: 0, type: 'scroll', data: entries.map(e => e.name)},
    grid: {left: 40, right: 16, top: 28, bottom: 62},
    xAxis: {type: 'category', name: 'after task', nameLocation: 'middle', nameGap: 24,
      data: Array.from({length: tasks}, (_, k) => k + 1)},
    yAxis: {type: 'value', min: 0, max: 1},
    color: palette,
    series
  };
}

function renderCounts(o) {
  const c = document.getElementById('counts');
  c.replaceChildren(...STATES.filter(s => o.counts[s] > 0).map(s => h('span', {class: 'badge ' + s,
    'data-count': s}, o.counts[s] + ' ' + s)));
  document.getElementById('root').textContent = o.root;
  document.title = 'CL-Lab · ' + o.root + (o.counts.running ? ' · ' + o.counts.running + ' running' : '');
}

function renderRuns(o) {
  const json = JSON.stringify(o.runs);
  if (drawn.runs === json) return;
  drawn.runs = json;
  const modes = new Set();
  o.runs.forEach(r => Object.keys(r.acc || {}).forEach(m => modes.add(m)));
  const mode = preferredMode([...modes]);
  document.getElementById('acc-head').textContent = mode ? 'ACC (' + mode.replace('-incremental', '') + ')' : 'ACC';
  document.getElementById('runs-count').textContent = '(' + o.runs.length + ')';
  const rows = o.runs.map(r => {
    const pct = Math.round(100 * (r.progress || 0));
    let ptext = r.state === 'finished' ? 'done' : pct + ' %';
    if (r.state !== 'finished' && r.tasks) ptext = 'task ' + Math.max(1, r.task) + '/' + r.tasks + ' · ' + ptext;
    const acc = r.acc && mode ? r.acc[mode] : null;
    return h('tr', {'data-run': r.dir, 'data-state': r.state, 'data-progress': r.progress,
      class: r.dir === selected ? 'selected' : null, onclick: () => select(r.dir)},
      h('td', {}, badge(r.state)),
      h('td', {class: 'mono'}, r.dir || r.name, r.reason ? h('span', {class: 'reason'}, r.reason) : null),
      h('td', {}, r.learner || ''),
      h('td', {class: 'mono'}, r.overrides || ''),
      h('td', {class: 'num'}, r.seed === undefined ? '' : r.seed),
      h('td', {}, h('span', {class: 'bar'}, h('div', {style: {width: pct + '%'}})), h('span', {class: 'ptext'}, ptext)),
      h('td', {class: 'num'}, r.state === 'running' ? duration(r.eta_seconds) : ''),
      h('td', {class: 'num'}, acc === null || acc === undefined ? '' : fix(acc, 4)),
      h('td', {class: 'num'}, r.wall_seconds ? r.wall_seconds.toFixed(1) + ' s' : ''));
  });
  document.querySelector('#runs tbody').replaceChildren(...rows);
}

function compareTable(g) {
  // Bold: the best mean ACC among the learners that are not the joint upper bound (as in the report's LaTeX).
  const best = Math.max(...g.rows.filter(r => !r.learner.startsWith('joint'))
    .map(r => (r.acc && r.acc[0] !== null) ? r.acc[0] : -Infinity));
  const ms = (v, n) => v && v[0] !== null
    ? [fix(v[0], 4), n > 1 ? h('span', {class: 'pm'}, ' ± ' + fix(v[1], 4)) : null] : '–';
  return h('table', {class: 'compare', 'data-group': g.title},
    h('thead', {}, h('tr', {}, h('th', {}, 'learner'), h('th', {class: 'num'}, 'runs (seeds)'),
      h('th', {class: 'num'}, 'ACC ↑'), h('th', {class: 'num'}, 'BWT ↑'), h('th', {class: 'num'}, 'forgetting ↓'),
      h('th', {class: 'num'}, 'wall'))),
    h('tbody', {}, g.rows.map(r => h('tr', {class: r.acc && r.acc[0] === best && g.rows.length > 1 ? 'best' : null},
      h('td', {}, r.learner), h('td', {class: 'num'}, r.runs + ' (' + r.seeds.join(',') + ')'),
      h('td', {class: 'num'}, ms(r.acc, r.runs)), h('td', {class: 'num'}, ms(r.bwt, r.runs)),
      h('td', {class: 'num'}, ms(r.forgetting, r.runs)),
      h('td', {class: 'num'}, r.wall_seconds ? r.wall_seconds.toFixed(1) + ' s' : '')))));
}

function renderSweeps(o) {
  const blocks = o.sweeps.map(s => ({key: 'sweep:' + s.dir, title: 'Sweep ' + (s.dir || o.root), s}));
  if (o.standalone) blocks.push({key: 'alone', title: o.standalone.title, s: o.standalone});
  const json = JSON.stringify(blocks.map(b => [b.key, b.s.comparison, b.s.report, b.s.counts, b.s.error]));
  if (drawn.sweeps === json) return;
  drawn.sweeps = json;
  const container = document.getElementById('sweeps');
  const cards = [];
  const plots = [];
  blocks.forEach((b, bi) => {
    const s = b.s;
    const head = h('div', {class: 'sweep-head'}, h('h2', {}, b.title),
      s.hash ? h('span', {class: 'muted mono'},
        s.hash.substring(0, 8) + ' · ' + s.executor + ' · ' + s.total + ' runs') : null,
      s.counts ? STATES.filter(k => s.counts[k] > 0)
        .map(k => h('span', {class: 'badge ' + k}, s.counts[k] + ' ' + k)) : null);
    const parts = [head];
    if (s.error) parts.push(h('p', {class: 'error'}, s.error));
    const cmp = s.comparison || {groups: []};
    if (cmp.error) parts.push(h('p', {class: 'error'}, 'comparison: ' + cmp.error));
    if (!cmp.groups.length && !cmp.error) {
      parts.push(h('p', {class: 'muted'}, 'No finished run yet: the comparison table appears with the first one.'));
    }
    cmp.groups.forEach((g, gi) => {
      const id = 'acc-' + bi + '-' + gi;
      parts.push(h('h3', {}, g.title, h('span', {class: 'muted'}, '  mean ± sample std over seeds')));
      parts.push(h('div', {class: 'grid compare-grid'}, compareTable(g), h('div', {id, class: 'chart'})));
      plots.push([id, accOption('ACC after each task (band: ± 1 std over seeds)', g.rows.map(r => ({name: r.learner,
        mean: r.acc_after_mean, std: r.acc_after_std})))]);
      if (g.rows.length <= 12) {
        parts.push(h('details', {}, h('summary', {}, 'Mean accuracy matrices'), h('div', {class: 'heatmaps'},
          g.rows.map(r => h('div', {class: 'heatmap-box'}, h('div', {class: 'title'}, r.learner),
            heatmap(r.matrix_mean.map((row, k) => [k + 1, ...row]), g.mode, true))))));
      }
    });
    if (s.report && s.report.length) {
      const main = s.report.filter(f => /(index|results)\.md$|results\.(csv|tex)$/.test(f));
      const pngs = s.report.filter(f => f.endsWith('.png'));
      parts.push(h('p', {class: 'report'}, h('span', {class: 'muted'}, 'cl report files: '),
        main.map(f => h('a', {href: '/files/' + f, target: '_blank'}, f.split('/').pop())),
        pngs.length ? h('span', {class: 'muted'}, pngs.length + ' plots: ') : null,
        pngs.slice(0, 4).map(f => h('a', {href: '/files/' + f, target: '_blank'},
          f.split('/').pop().replace(/\.png$/, '')))));
    }
    cards.push(h('section', {class: 'card sweep', 'data-sweep': s.dir}, parts));
  });
  Object.keys(charts).filter(k => k.startsWith('acc-')).forEach(k => { charts[k].dispose(); delete charts[k]; });
  container.replaceChildren(...cards);
  plots.forEach(([id, opt]) => chart(id, opt));
}

function renderRun(r) {
  const sec = document.getElementById('run');
  sec.hidden = false;
  const key = JSON.stringify(r);
  if (key === lastRunKey) return;
  const fresh = sec.getAttribute('data-run') !== r.dir;
  lastRunKey = key;
  const logPre = sec.querySelector('pre.log');
  const atBottom = !logPre || logPre.scrollTop + logPre.clientHeight >= logPre.scrollHeight - 4;
  const pct = Math.round(100 * (r.progress || 0));
  const kv = [['learner', r.learner], ['settings', r.overrides], ['seed', r.seed], ['scenario', r.scenario],
    ['progress', r.state === 'finished' ? 'done' : (r.tasks ? 'task ' + Math.max(1, r.task) + '/' + r.tasks + ', step '
      + r.step + '/' + r.steps + ', ' : '') + pct + ' %'],
    ['ETA', r.state === 'running' ? duration(r.eta_seconds) : ''],
    ['wall', r.wall_seconds ? r.wall_seconds.toFixed(1) + ' s' : '']]
    .filter(([, v]) => v !== '' && v !== undefined && v !== null);
  const parts = [
    h('div', {class: 'run-head'}, h('h2', {class: 'mono'}, r.dir || r.name), badge(r.state),
      r.sweep !== undefined ? h('span', {class: 'muted'}, 'in sweep ' + (r.sweep || '.')) : null),
    h('div', {class: 'kv'}, kv.map(([k, v]) => h('span', {}, k + ' ', h('b', {}, v)))),
  ];
  if (r.reason) parts.push(h('div', {class: 'failbox ' + r.state, 'data-reason': ''}, r.reason));
  const matrices = r.matrices || [];
  if (matrices.length) {
    parts.push(h('h3', {}, 'Accuracy matrices', h('span', {class: 'muted'},
      '  row k: after training task k · column j: task j'
        + (matrices[0].source === 'metrics.csv' ? ' · so far (metrics.csv)' : ''))));
    parts.push(h('div', {class: 'heatmaps'}, matrices.map(m => h('div', {class: 'heatmap-box'},
      h('div', {class: 'title'}, m.mode, h('span', {class: 'muted'}, '  ' + m.source)), heatmap(m.rows, m.mode, false),
      m.metrics ? metricsTable(m.metrics) : null)), h('div', {id: 'run-acc', class: 'chart run-chart'})));
  } else {
    parts.push(h('p', {class: 'muted'}, r.state === 'failed' || r.state === 'interrupted'
      ? 'No accuracy row: the run ended before its first task was evaluated.'
      : 'No accuracy row yet: the matrix appears after the first task.'));
  }
  if (r.worker_err && r.state === 'failed') {
    parts.push(h('details', {open: true}, h('summary', {}, 'worker.err (last lines)'),
      h('pre', {class: 'err'}, r.worker_err)));
  }
  parts.push(h('details', {open: true}, h('summary', {}, 'run.log (last lines)'),
    h('pre', {class: 'log'}, r.log || '(empty)')));
  parts.push(h('div', {class: 'grid'},
    h('details', {open: true}, h('summary', {}, 'config.yaml'), h('pre', {}, r.config || '')),
    h('details', {}, h('summary', {}, 'provenance.json'), h('pre', {}, r.provenance || ''))));
  parts.push(h('p', {class: 'files'}, h('span', {class: 'muted'}, 'files: '),
    (r.files || []).map(f => h('a', {href: '/files/' + (r.dir ? r.dir + '/' : '') + f, target: '_blank'}, f))));
  if (charts['run-acc']) { charts['run-acc'].dispose(); delete charts['run-acc']; }
  sec.replaceChildren(...parts);
  sec.setAttribute('data-run', r.dir);
  sec.setAttribute('data-state', r.state);
  if (matrices.length) {
    chart('run-acc', accOption('ACC after each task', matrices.map(m => ({name: m.mode, mean: m.acc_after}))));
  }
  const pre = sec.querySelector('pre.log');
  if (pre && (atBottom || fresh)) pre.scrollTop = pre.scrollHeight;
}

function metricsTable(m) {
  const keys = ['acc', 'bwt', 'fwt', 'forgetting', 'learning_accuracy', 'intransigence'].filter(k => k in m);
  return h('table', {class: 'metrics'}, h('tbody', {}, keys.map(k => h('tr', {'data-metric': k},
    h('th', {}, k.replace('_', ' ')), h('td', {class: 'num'}, fix(m[k], 4))))));
}

function select(dir) {
  selected = dir;
  lastRunKey = '';
  history.replaceState(null, '', '#run=' + encodeURIComponent(dir));
  document.querySelectorAll('#runs tbody tr')
    .forEach(tr => tr.classList.toggle('selected', tr.getAttribute('data-run') === dir));
  refreshRun().then(() => document.getElementById('run').scrollIntoView({behavior: 'smooth', block: 'start'}));
}

async function getJson(url) {
  const res = await fetch(url, {cache: 'no-store'});
  if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
  return res.json();
}

async function refreshRun() {
  if (selected === null) return;
  try {
    renderRun(await getJson('/api/run?dir=' + encodeURIComponent(selected)));
  } catch (e) {
    document.getElementById('run').hidden = true;
  }
}

async function tick() {
  const status = document.getElementById('status');
  try {
    const o = await getJson('/api/overview');
    renderCounts(o);
    renderSweeps(o);
    renderRuns(o);
    if (selected === null && o.runs.length === 1 && o.runs[0].dir === '') selected = '';  // DIR is one run
    await refreshRun();
    status.textContent = 'live · updated ' + new Date().toLocaleTimeString();
    status.className = 'status';
    document.body.setAttribute('data-polls', String(Number(document.body.getAttribute('data-polls') || 0) + 1));
  } catch (e) {
    status.textContent = 'server not reachable (' + e.message + '); retrying';
    status.className = 'status error';
  } finally {
    setTimeout(tick, POLL_MS);
  }
}

const m = /^#run=(.*)$/.exec(location.hash);
if (m) selected = decodeURIComponent(m[1]);
tick();

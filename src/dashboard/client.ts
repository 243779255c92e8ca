/**
 * The dashboard's in-page script, as text: it reads the embedded JSON and draws
 * one uPlot chart per benchmark (median line, interval band, change points as
 * dashed verticals), with search and group filters. Plain ES2017 for any
 * browser; every piece of data reaches the page through textContent, never
 * as markup. Exercised by test/dashboard/dashboard-browser.test.ts.
 */
export const DASHBOARD_CLIENT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('bench-data').textContent);
  var runs = data.runs;
  var list = document.getElementById('charts');
  var search = document.getElementById('search');
  var groupSelect = document.getElementById('group');
  var onlyChanges = document.getElementById('only-changes');
  var shown = document.getElementById('shown');
  var SCALES = [[1e9, 's'], [1e6, 'ms'], [1e3, '\u00b5s'], [1, 'ns']];

  function scaleFor(unit, values) {
    if (unit !== 'ns') return { d: 1, u: unit };
    var top = 0;
    for (var i = 0; i < values.length; i++) if (values[i] > top) top = values[i];
    for (var k = 0; k < SCALES.length; k++) if (top >= SCALES[k][0]) return { d: SCALES[k][0], u: SCALES[k][1] };
    return { d: 1, u: 'ns' };
  }
  function fmt(v) { return v == null || !isFinite(v) ? '\u2013' : String(Number(v.toPrecision(4))); }
  function sha(i) { var r = runs[i]; return r && r.commit ? r.commit.slice(0, 7) : '?'; }
  function day(i) { var r = runs[i]; return r ? String(r.timestamp).slice(0, 10) : ''; }
  function pct(c) { var p = c * 100; return (p >= 0 ? '+' : '') + (Math.abs(p) >= 10 ? p.toFixed(0) : p.toFixed(1)) + '%'; }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }
  function scaled(values, d) { return values.map(function (v) { return v == null ? null : v / d; }); }

  var groups = [];
  data.series.forEach(function (s) { if (groups.indexOf(s.group) < 0) groups.push(s.group); });
  groups.sort().forEach(function (g) { var o = el('option', null, g); o.value = g; groupSelect.appendChild(o); });

  function changeText(s, cp) {
    var ago = s.median.length - 1 - cp.index;
    return pct(cp.change) + ' at ' + sha(s.run[cp.index]) + ' (' + (ago === 0 ? 'the newest run' : ago + (ago === 1 ? ' run' : ' runs') + ' ago') + ')';
  }

  function changeMarks(s, cps) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = '#bc4c00';
      ctx.fillStyle = '#bc4c00';
      ctx.setLineDash([5, 4]);
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
      cps.forEach(function (cp) {
        var x = Math.round(u.valToPos(s.run[cp.index] - 0.5, 'x', true));
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.fillText(pct(cp.change), x + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
      });
      ctx.restore();
    };
  }

  var width = Math.max(320, Math.min(960, list.clientWidth - 32));
  var cards = data.series.map(function (s, k) {
    var card = el('section', 'card');
    card.id = 'b' + k;
    var search = (s.id + ' ' + s.group).toLowerCase();
    var sc = scaleFor(s.unit, s.median);
    var last = s.median.length - 1;
    card.appendChild(el('h2', null, s.id + (s.metric !== 'time' ? ' (' + s.metric + ')' : '')));
    card.appendChild(el('p', 'meta', s.median.length + ' runs \u00b7 latest ' + fmt(s.median[last] / sc.d) + ' ' + sc.u + ' at ' + sha(s.run[last]) +
      ' (' + day(s.run[last]) + ') \u00b7 ' + (s.direction === 'lower' ? 'lower is better' : 'higher is better') + ' \u00b7 group ' + s.group));
    if (s.changes.length > 0) {
      var ul = el('ul', 'changes');
      s.changes.forEach(function (cp) { ul.appendChild(el('li', null, 'Change point: ' + changeText(s, cp))); });
      card.appendChild(ul);
    }
    var plot = el('div', 'chart');
    card.appendChild(plot);
    list.appendChild(card);
    var axisLabel = s.unit === 'ns' ? 'time (' + sc.u + ')' : sc.u;
    var valueOf = function (u, v) { return v == null ? '\u2013' : fmt(v) + ' ' + sc.u; };
    new uPlot({
      width: width,
      height: 240,
      scales: { x: { time: false } },
      legend: { live: true },
      series: [
        { label: 'run', value: function (u, v) { return v == null ? '\u2013' : sha(v) + ' \u00b7 ' + day(v); } },
        { label: 'median', stroke: '#0969da', width: 1.5, value: valueOf, points: { show: s.median.length <= 60 } },
        { label: 'interval low', stroke: 'rgba(9,105,218,0.3)', width: 0.5, value: valueOf, points: { show: false } },
        { label: 'interval high', stroke: 'rgba(9,105,218,0.3)', width: 0.5, value: valueOf, points: { show: false } },
      ],
      bands: [{ series: [3, 2], fill: 'rgba(9,105,218,0.12)' }],
      axes: [
        { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500], values: function (u, splits) { return splits.map(function (v) { return day(v).slice(5); }); } },
        { label: axisLabel, size: 64, values: function (u, splits) { return splits.map(fmt); } },
      ],
      hooks: { draw: [changeMarks(s, s.changes)] },
    }, [s.run, scaled(s.median, sc.d), scaled(s.lower, sc.d), scaled(s.upper, sc.d)], plot);
    return { card: card, search: search, group: s.group, changes: s.changes.length };
  });

  function apply() {
    var q = search.value.trim().toLowerCase();
    var g = groupSelect.value;
    var n = 0;
    cards.forEach(function (c) {
      var show = (q === '' || c.search.indexOf(q) >= 0) && (g === '' || c.group === g) && (!onlyChanges.checked || c.changes > 0);
      c.card.hidden = !show;
      if (show) n++;
    });
    shown.textContent = n + ' of ' + cards.length + ' benchmarks';
  }
  search.addEventListener('input', apply);
  groupSelect.addEventListener('change', apply);
  onlyChanges.addEventListener('change', apply);
  apply();
  document.body.setAttribute('data-ready', String(cards.length));
})();`;

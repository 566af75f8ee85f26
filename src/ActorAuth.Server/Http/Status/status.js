// ActorAuth operator status page: polls status.json (relative, so it works under any path prefix) and
// redraws in place. No library and no inline code, so it runs under CSP default-src 'self'. Server strings
// only ever reach the page through textContent, never as markup.
(function () {
  'use strict';

  var POLL_MS = 2000;
  var FETCH_TIMEOUT_MS = 5000;
  var HISTORY_POINTS = 120; // the server keeps up to 120 points; the chart always spans that window
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var MARGIN = { top: 10, right: 18, bottom: 40, left: 56 };
  var PANEL_GAP = 22;
  var FAILURE_CLASSES = 6;

  var numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  var rateFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  var last = null;        // the last snapshot drawn, drawn again on resize and kept when a poll fails
  var lastStamp = null;   // its time as shown, hh:mm:ss
  var reasonClasses = {}; // failure reason -> colour class, stable for the page's lifetime

  function $(id) { return document.getElementById(id); }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function clock(date) { return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()); }

  function formatCount(value) { return typeof value === 'number' && isFinite(value) ? numberFormat.format(value) : '—'; }

  function formatDuration(ms) {
    if (!isFinite(ms) || ms < 0) { return '—'; }
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d > 0) { return d + 'd ' + h + 'h'; }
    if (h > 0) { return h + 'h ' + m + 'm'; }
    return m + 'm ' + (s % 60) + 's';
  }

  function svg(name, attributes, parent) {
    var element = document.createElementNS(SVG_NS, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (parent) { parent.appendChild(element); }
    return element;
  }

  function text(parent, attributes, content) {
    var element = svg('text', attributes, parent);
    element.textContent = content;
    return element;
  }

  // The stamp says how fresh the figures are; a failed poll keeps the old figures but marks them stale.
  function showFresh(snapshot) {
    var stamp = $('stamp');
    stamp.className = 'stamp is-live';
    document.body.classList.remove('is-stale');
    var at = new Date(snapshot.now);
    lastStamp = clock(isNaN(at) ? new Date() : at);
    $('stamp-text').textContent = 'Updated ' + lastStamp;
  }

  function showStale(reason) {
    var stamp = $('stamp');
    stamp.className = 'stamp is-stale';
    document.body.classList.add('is-stale');
    $('stamp-text').textContent = lastStamp
      ? 'Stale — last update ' + lastStamp + ' (' + reason + ')'
      : 'Stale — no data yet (' + reason + ')';
  }

  function renderFacts(snapshot) {
    $('node').textContent = snapshot.node || '—';
    $('version').textContent = snapshot.version || '—';
    $('principal').textContent = snapshot.principal || '—';
    $('uptime').textContent = formatDuration(Date.parse(snapshot.now) - Date.parse(snapshot.started));
    document.title = 'ActorAuth status — ' + (snapshot.node || 'server');
  }

  // One card per listener, keyed by name; cards are updated in place so focus and scroll stay put.
  function renderListeners(snapshot) {
    var main = $('listeners');
    var listeners = Array.isArray(snapshot.listeners) ? snapshot.listeners : [];
    var seen = {};
    listeners.forEach(function (listener, index) {
      var key = String(listener.name);
      seen[key] = true;
      var card = main.querySelector('section[data-listener="' + CSS.escape(key) + '"]') || createCard(main, key, index);
      fillCard(card, listener, snapshot);
    });
    Array.prototype.forEach.call(main.querySelectorAll('section[data-listener]'), function (card) {
      if (!seen[card.getAttribute('data-listener')]) { card.remove(); }
    });
    $('empty').hidden = listeners.length > 0;
  }

  function createCard(main, key, index) {
    var card = $('listener-template').content.firstElementChild.cloneNode(true);
    var id = 'listener-' + index + '-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
    card.setAttribute('data-listener', key);
    card.querySelector('.listener-name').id = id;
    card.setAttribute('aria-labelledby', id);
    main.appendChild(card);
    return card;
  }

  function fillCard(card, listener, snapshot) {
    card.querySelector('.listener-name').textContent = listener.name;
    card.querySelector('.listener-kind').textContent = listener.kind || '';
    card.querySelector('.listener-endpoint').textContent = listener.endpoint || '';
    Array.prototype.forEach.call(card.querySelectorAll('[data-field]'), function (field) {
      field.textContent = formatCount(listener[field.getAttribute('data-field')]);
    });
    var interval = snapshot.interval_seconds > 0 ? snapshot.interval_seconds : 5;
    card.querySelector('.chart-window').textContent = '· last ' + Math.round(HISTORY_POINTS * interval / 60) + ' minutes, ' + interval + ' s buckets';
    var series = seriesOf(Array.isArray(listener.history) ? listener.history : []);
    drawChart(card.querySelector('.chart-canvas'), series, interval, listener.name, Date.parse(snapshot.now));
    drawLegend(card.querySelector('.legend'), series);
  }

  // Succeeded first, then every failure reason seen in the window, busiest first.
  function seriesOf(history) {
    var points = history.map(function (p) { return { t: Date.parse(p.t), p: p }; }).filter(function (x) { return isFinite(x.t); });
    var totals = {};
    points.forEach(function (x) {
      var failed = x.p.failed_per_second || {};
      Object.keys(failed).forEach(function (reason) { totals[reason] = (totals[reason] || 0) + (Number(failed[reason]) || 0); });
    });
    var series = [{ label: 'Succeeded', cls: 's-ok', values: points.map(function (x) { return [x.t, Number(x.p.succeeded_per_second) || 0]; }) }];
    Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a] || (a < b ? -1 : 1); }).forEach(function (reason) {
      series.push({
        label: 'Failed: ' + reason,
        cls: classForReason(reason),
        values: points.map(function (x) { return [x.t, Number((x.p.failed_per_second || {})[reason]) || 0]; })
      });
    });
    return series;
  }

  function classForReason(reason) {
    if (!reasonClasses[reason]) {
      reasonClasses[reason] = 's-' + (Object.keys(reasonClasses).length % FAILURE_CLASSES + 1);
    }
    return reasonClasses[reason];
  }

  // The axis top for `steps` gridlines at 1, 2 or 5 times a power of ten: ticks land on round numbers.
  function niceCeiling(value, steps) {
    var raw = value > 0 ? value / steps : 0.25;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].filter(function (m) { return m * power >= raw; })[0] * power;
    return step * steps;
  }

  // Two panels on one time axis: succeeded above, failures by reason below on their own scale, so a
  // failure rate a hundredth of the success rate is still visible rather than flat on the zero line.
  function drawChart(canvas, series, interval, name, nowMs) {
    var width = Math.max(Math.floor(canvas.clientWidth), 300);
    var plotW = width - MARGIN.left - MARGIN.right;
    var all = series[0].values;
    var end = all.length ? all[all.length - 1][0] : (isFinite(nowMs) ? nowMs : Date.now());
    var span = HISTORY_POINTS * interval * 1000, start = end - span;
    var x = function (t) { return MARGIN.left + (t - start) / span * plotW; };
    var panels = [
      { series: series.slice(0, 1), top: MARGIN.top, height: 130, steps: 4, title: 'succeeded / s', area: true },
      { series: series.slice(1), top: MARGIN.top + 130 + PANEL_GAP, height: 70, steps: 2, title: 'failed / s', area: false }
    ];
    var bottom = panels[1].top + panels[1].height, height = bottom + MARGIN.bottom;

    var root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img' });
    svg('title', {}, root).textContent = 'Handshakes per second on ' + name + ': ' + describe(series);

    // Time ticks on whole minutes across both panels; fewer when narrow.
    var minute = 60000, every = plotW < 420 ? 5 : plotW < 720 ? 2 : 1;
    for (var t = Math.ceil(start / (minute * every)) * minute * every; t <= end; t += minute * every) {
      var tx = x(t), d = new Date(t);
      panels.forEach(function (panel) {
        svg('line', { x1: tx, x2: tx, y1: panel.top, y2: panel.top + panel.height, 'class': 'grid-line' }, root);
      });
      text(root, { x: tx, y: bottom + 16, 'text-anchor': 'middle', 'class': 'tick-label' }, pad(d.getHours()) + ':' + pad(d.getMinutes()));
    }
    text(root, { x: MARGIN.left + plotW, y: height - 4, 'text-anchor': 'end', 'class': 'axis-title' }, 'time (local)');

    panels.forEach(function (panel) { drawPanel(root, panel, x, start, interval, plotW); });
    if (!all.length) {
      text(root, { x: MARGIN.left + plotW / 2, y: panels[0].top + panels[0].height / 2, 'text-anchor': 'middle', 'class': 'no-data' }, 'No samples yet');
    } else if (!panels[1].series.length) {
      text(root, { x: MARGIN.left + plotW / 2, y: panels[1].top + panels[1].height / 2, 'text-anchor': 'middle', 'class': 'no-data' }, 'No failures in this window');
    }

    canvas.replaceChildren(root);
  }

  function drawPanel(root, panel, x, start, interval, plotW) {
    var peak = 0;
    panel.series.forEach(function (s) { s.values.forEach(function (v) { if (v[0] >= start && v[1] > peak) { peak = v[1]; } }); });
    var yMax = niceCeiling(peak, panel.steps);
    var y = function (v) { return panel.top + panel.height - v / yMax * panel.height; };

    for (var i = 0; i <= panel.steps; i++) {
      var value = yMax * i / panel.steps, gy = y(value);
      svg('line', { x1: MARGIN.left, x2: MARGIN.left + plotW, y1: gy, y2: gy, 'class': i === 0 ? 'axis-line' : 'grid-line' }, root);
      text(root, { x: MARGIN.left - 8, y: gy + 4, 'text-anchor': 'end', 'class': 'tick-label' }, tickLabel(value));
    }
    svg('line', { x1: MARGIN.left, x2: MARGIN.left, y1: panel.top, y2: panel.top + panel.height, 'class': 'axis-line' }, root);
    text(root, { x: -(panel.top + panel.height / 2), y: 14, transform: 'rotate(-90)', 'text-anchor': 'middle', 'class': 'axis-title' }, panel.title);

    // Busiest series drawn last (on top); a missing bucket breaks the line.
    for (var k = panel.series.length - 1; k >= 0; k--) {
      var s = panel.series[k], runs = runsOf(s.values, start, interval);
      if (panel.area) {
        runs.forEach(function (run) { svg('path', { d: areaPath(run, x, y, y(0)), 'class': 'series-area' }, root); });
      }
      runs.forEach(function (run) { svg('path', { d: linePath(run, x, y), 'class': 'series ' + s.cls }, root); });
      if (s.values.length) {
        var lastPoint = s.values[s.values.length - 1];
        svg('circle', { cx: x(lastPoint[0]), cy: y(lastPoint[1]), r: 3, 'class': 'series-dot ' + s.cls }, root);
      }
    }
  }

  function tickLabel(value) {
    return value === Math.round(value) ? numberFormat.format(value) : String(Number(value.toFixed(2)));
  }

  // Splits points into runs without gaps longer than two buckets, dropping those left of the window.
  function runsOf(values, start, interval) {
    var runs = [], run = [], gap = interval * 2000;
    values.forEach(function (v) {
      if (v[0] < start) { return; }
      if (run.length && v[0] - run[run.length - 1][0] > gap) { runs.push(run); run = []; }
      run.push(v);
    });
    if (run.length) { runs.push(run); }
    return runs;
  }

  function linePath(run, x, y) {
    return run.map(function (v, i) { return (i ? 'L' : 'M') + x(v[0]).toFixed(1) + ',' + y(v[1]).toFixed(1); }).join('');
  }

  function areaPath(run, x, y, baseline) {
    return linePath(run, x, y) + 'L' + x(run[run.length - 1][0]).toFixed(1) + ',' + baseline + 'L' + x(run[0][0]).toFixed(1) + ',' + baseline + 'Z';
  }

  function latest(s) { return s.values.length ? s.values[s.values.length - 1][1] : null; }

  function describe(series) {
    return series.map(function (s) {
      var v = latest(s);
      return s.label + ' ' + (v === null ? 'no data' : rateFormat.format(v) + ' per second');
    }).join('; ');
  }

  function drawLegend(list, series) {
    var items = series.map(function (s) {
      var item = document.createElement('li');
      var swatch = svg('svg', { viewBox: '0 0 26 10', 'aria-hidden': 'true', focusable: 'false' });
      svg('line', { x1: 1, x2: 25, y1: 5, y2: 5, 'class': 'series ' + s.cls }, swatch);
      var label = document.createElement('span');
      label.textContent = s.label;
      var value = document.createElement('span');
      var v = latest(s);
      value.className = 'legend-value';
      value.textContent = v === null ? '—' : rateFormat.format(v) + '/s';
      item.append(swatch, label, value);
      return item;
    });
    list.replaceChildren.apply(list, items);
  }

  function render(snapshot) {
    renderFacts(snapshot);
    renderListeners(snapshot);
  }

  // One request at a time: the next poll is scheduled when this one settles, so a slow server is never piled on.
  function poll() {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS);
    fetch('status.json', { cache: 'no-store', headers: { Accept: 'application/json' }, signal: controller.signal })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (snapshot) {
        if (!snapshot || typeof snapshot !== 'object') { throw new Error('not a status object'); }
        render(snapshot);
        last = snapshot;
        showFresh(snapshot);
      })
      .catch(function (error) {
        showStale(error && error.name === 'AbortError' ? 'timed out' : error && error.message ? error.message : 'request failed');
      })
      .then(function () {
        clearTimeout(timer);
        setTimeout(poll, POLL_MS);
      });
  }

  // Charts are drawn at the container's width: redraw once per frame while the window is resized.
  var resizePending = false;
  window.addEventListener('resize', function () {
    if (resizePending || !last) { return; }
    resizePending = true;
    requestAnimationFrame(function () { resizePending = false; renderListeners(last); });
  });

  poll();
}());

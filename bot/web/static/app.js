/* coordbot dashboard: a small hand-written Mini App. No framework, no CDN, no innerHTML:
   every piece of text goes in through textContent (text nodes), so user text is never markup. */
'use strict';
(function () {
  const S = { init: '', lang: 'en', t: {}, me: null, seq: 0 };
  const main = document.getElementById('view');
  const SVG = 'http://www.w3.org/2000/svg';

  /* ---- Telegram launch parameters and events (telegram-web-app.js is not needed) ---- */
  function postEvent(type, data) {
    const body = JSON.stringify(data || {});
    try {
      if (window.TelegramWebviewProxy) window.TelegramWebviewProxy.postEvent(type, body);
      else if (window.external && window.external.notify) window.external.notify(JSON.stringify({ eventType: type, eventData: data || {} }));
      else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }), 'https://web.telegram.org');
    } catch (e) { /* not inside Telegram */ }
  }
  function onEvent(type, data) {
    if (type === 'back_button_pressed') history.back();
    if (type === 'theme_changed' && data && data.theme_params) applyTheme(data.theme_params);
  }
  window.Telegram = window.Telegram || {};
  window.Telegram.WebView = window.Telegram.WebView || { receiveEvent: onEvent };
  window.addEventListener('message', function (ev) {
    if (ev.origin !== 'https://web.telegram.org') return;
    try { const m = JSON.parse(ev.data); onEvent(m.eventType, m.eventData); } catch (e) { /* ignore */ }
  });

  function applyTheme(theme) {
    if (!theme) return;
    if (typeof theme === 'string') { try { theme = JSON.parse(theme); } catch (e) { return; } }
    const root = document.documentElement.style;
    Object.keys(theme).forEach(function (key) {
      const value = String(theme[key]);
      if (/^[a-z_]+$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(value)) root.setProperty('--tg-theme-' + key.replace(/_/g, '-'), value);
    });
    // Lines and tracks follow Telegram's light or dark theme, whatever the system's is.
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(String(theme.bg_color || ''));
    if (m) {
      const light = (0.299 * parseInt(m[1], 16) + 0.587 * parseInt(m[2], 16) + 0.114 * parseInt(m[3], 16)) > 128;
      document.documentElement.classList.toggle('tg-dark', !light);
      document.documentElement.classList.toggle('tg-light', light);
    }
  }

  function readLaunch() {
    const params = new URLSearchParams(location.hash.slice(1));
    let data = params.get('tgWebAppData');
    let theme = params.get('tgWebAppThemeParams');
    if (data) {
      sessionStorage.setItem('tgWebAppData', data);
      if (theme) sessionStorage.setItem('tgTheme', theme);
      history.replaceState(null, '', location.pathname + location.search + '#/overview');
    } else {
      data = sessionStorage.getItem('tgWebAppData') || '';
      theme = sessionStorage.getItem('tgTheme');
    }
    S.init = data;
    applyTheme(theme);
  }

  /* ---- helpers ---- */
  function h(tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      const v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') el.className = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v);
    });
    for (let i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function add(el, kid) {
    if (kid === undefined || kid === null || kid === false) return;
    if (Array.isArray(kid)) { kid.forEach(function (k) { add(el, k); }); return; }
    el.appendChild(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  function s(tag, attrs) {
    const el = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    for (let i = 2; i < arguments.length; i++) {
      const kid = arguments[i];
      if (kid !== undefined && kid !== null) el.appendChild(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return el;
  }
  function t(key, values) {
    let text = S.t[key] !== undefined ? S.t[key] : key;
    if (values) Object.keys(values).forEach(function (k) { text = text.split('{' + k + '}').join(String(values[k])); });
    return text;
  }
  function name(prefix, key) { return S.t[prefix + key] || key; }
  function locale() { return S.lang === 'zh' ? 'zh-CN' : 'en-GB'; }
  function parts(local) { // "2026-12-04T14:00" or "2026-12-04" as a UTC Date standing for that wall time
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(local || '');
    return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0))) : null;
  }
  function fmt(local, opts) {
    const d = parts(local);
    return d ? new Intl.DateTimeFormat(locale(), Object.assign({ timeZone: 'UTC' }, opts)).format(d) : '';
  }
  function day(local) { return fmt(local, { year: 'numeric', month: 'short', day: 'numeric' }); }
  function when(local) { return fmt(local, { month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }); }
  function hm(local) { return fmt(local, { hour: '2-digit', minute: '2-digit', hour12: false }); }
  function unitLabel(code, uname) {
    if (!code) return t('no_unit');
    return uname && uname !== code ? uname + (S.lang === 'zh' ? '（' + code + '）' : ' (' + code + ')') : code;
  }
  function card(title) {
    const c = h('section', { class: 'card' }, title ? h('h2', null, title) : null);
    for (let i = 1; i < arguments.length; i++) add(c, arguments[i]);
    return c;
  }
  function empty() { return h('p', { class: 'muted small' }, t('empty')); }

  async function api(path) {
    const res = await fetch(path, { headers: { Authorization: 'tma ' + S.init }, cache: 'no-store' });
    if (!res.ok) {
      let code = 'load_failed';
      try { code = (await res.json()).error || code; } catch (e) { /* not JSON */ }
      const err = new Error(code); err.status = res.status; err.code = code; throw err;
    }
    return res.json();
  }

  /* ---- charts ---- */
  function bars(rows, opts) { // rows: [label, value, shown?]; HTML bars, widths through CSSOM
    opts = opts || {};
    if (!rows.length) return empty();
    const top = opts.max || Math.max(1, ...rows.map(function (r) { return r[1]; }));
    const box = h('div', { class: 'bars' });
    rows.forEach(function (r, i) {
      const fill = h('div', { class: 'fill ' + (opts.cls || 'k' + (i % 6 + 1)) + (r[1] ? '' : ' zero') });
      fill.style.width = (100 * r[1] / top).toFixed(1) + '%';
      add(box, [h('div', { class: 'lbl', title: r[0] }, r[0]), h('div', { class: 'trk' }, fill), h('div', { class: 'val' }, r[2] !== undefined ? r[2] : r[1])]);
    });
    return box;
  }
  function scoreChart(means) { // four dimensions on a 0-5 scale, as inline SVG
    const W = 320, H = 190, L = 26, B = 150, top = 12, bw = 44, gap = (W - L - 4 * bw) / 4;
    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'svgchart', role: 'img', 'aria-label': t('evaluation') });
    const grid = s('g', { class: 'grid' });
    for (let v = 0; v <= 5; v++) {
      const y = B - (B - top) * v / 5;
      grid.appendChild(s('line', { x1: L, x2: W, y1: y, y2: y }));
      grid.appendChild(s('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, v));
    }
    svg.appendChild(grid);
    means.forEach(function (m, i) {
      const x = L + gap / 2 + i * (bw + gap), hgt = (B - top) * Math.max(0, Math.min(5, m)) / 5;
      svg.appendChild(s('rect', { x: x, y: B - hgt, width: bw, height: hgt, rx: 4, class: 'bar' + i }));
      svg.appendChild(s('text', { x: x + bw / 2, y: B - hgt - 4, 'text-anchor': 'middle' }, (+m).toFixed(1)));
      const label = name('dimension.', String(i));
      const words = S.lang === 'zh' ? [label] : label.split(' ');
      words.forEach(function (w, j) { svg.appendChild(s('text', { x: x + bw / 2, y: B + 14 + j * 13, 'text-anchor': 'middle' }, w)); });
    });
    return svg;
  }

  /* ---- views ---- */
  async function overview(view) {
    const d = await api('/api/overview');
    const kpi = function (label, value, bad) { return h('div', { class: 'kpi' + (bad && value ? ' bad' : '') }, h('b', null, value), h('span', null, label)); };
    add(view, h('div', { class: 'kpis' }, kpi(t('projects_total'), d.projects), kpi(t('open_risks'), d.open_risks, true), kpi(t('open_actions'), d.open_actions), kpi(t('overdue'), d.overdue_actions, true)));
    const grid = h('div', { class: 'grid' });
    add(grid, card(t('by_stage'), bars(d.by_stage.map(function (r) { return [name('stage.', r[0]), r[1]]; }))));
    add(grid, card(t('by_category'), bars(d.by_category.map(function (r) { return [name('category.', r[0]), r[1]]; }))));
    if (d.by_tier.length) add(grid, card(t('by_tier'), bars(d.by_tier.map(function (r) { return [name('tier.', r[0]), r[1]]; }))));
    const oldest = h('ul', { class: 'list' }, d.oldest_risks.map(function (r) {
      return h('li', null, h('div', { class: 'row' }, h('a', { href: '#/projects/' + encodeURIComponent(r.project) }, r.project + ' #' + r.id), h('span', { class: 'chip ' + (r.days >= 30 ? 'bad' : 'warn') }, t('days_short', { n: r.days }))), h('div', { class: 'text small' }, r.text));
    }));
    add(grid, card(t('risks_by_age'), bars(d.risk_ages.map(function (r) { return [t('age_' + r[0]), r[1]]; }), { cls: 'k5' }), d.oldest_risks.length ? [h('h3', null, t('oldest_risks')), oldest] : null));
    add(grid, card(t('overdue_by_unit'), bars(d.overdue_by_unit.map(function (r) { return [r.unit ? unitLabel(r.unit, r.name) : t('unassigned'), r.n]; }), { cls: 'k5' })));
    add(grid, card(t('attendance'), bars(d.attendance.map(function (a) { return [unitLabel(a.unit, a.name), Math.round(100 * a.present / a.invited), t('present_of', { present: a.present, invited: a.invited })]; }), { max: 100, cls: 'k2' })));
    add(view, grid);
    add(view, card(t('reporting'), reporting(d)));
  }

  function reporting(d) {
    if (!d.reporting.length) return empty();
    const head = h('tr', null, h('th', null, ''), d.periods.map(function (p) {
      return h('th', { class: 'num' }, p.year ? p.year + '/' + p.number : t('since_last'));
    }));
    const rows = d.reporting.map(function (r) {
      return h('tr', null, h('td', null, unitLabel(r.unit, r.name)), r.cells.map(function (c, i) {
        return h('td', { class: 'num', title: t(c === 'none' ? 'no_projects' : c) + (r.entries[i] ? ' · ' + r.entries[i] : '') }, h('span', { class: 'dot ' + c }));
      }));
    });
    const legend = h('div', { class: 'legend' }, ['reported', 'silent', 'none'].map(function (c) {
      return h('span', null, h('span', { class: 'dot ' + c }), t(c === 'none' ? 'no_projects' : c));
    }));
    return [h('div', { class: 'scroll' }, h('table', null, h('thead', null, head), h('tbody', null, rows))), legend];
  }

  async function projectBoard(view) {
    const d = await api('/api/projects');
    const board = h('div', { class: 'board' });
    d.stages.forEach(function (stage) {
      const found = d.projects.filter(function (p) { return p.stage === stage; });
      const col = card(null, h('h2', null, h('span', null, name('stage.', stage)), h('span', { class: 'muted' }, found.length)));
      col.classList.add('col');
      found.forEach(function (p) {
        add(col, h('a', { class: 'pcard', href: '#/projects/' + encodeURIComponent(p.code) },
          h('div', { class: 'row' }, h('b', null, p.code), p.open_risks ? h('span', { class: 'chip bad' }, t('open_risks') + ' ' + p.open_risks) : null),
          h('span', { class: 'name' }, p.name),
          h('span', { class: 'chip' }, name('category.', p.category)),
          h('span', { class: 'muted small' }, p.lead + (p.last_activity ? ' · ' + day(p.last_activity) : ''))));
      });
      if (!found.length) add(col, empty());
      add(board, col);
    });
    add(view, board);
  }

  async function projectPage(view, code) {
    const p = await api('/api/projects/' + encodeURIComponent(code));
    setTitle(p.code + ' ' + p.name);
    const facts = h('dl', { class: 'facts' });
    [['lead', p.lead], ['batch', p.batch], ['region', p.region], ['following', p.followers.map(function (f) { return unitLabel(f.code, f.name); }).join(S.lang === 'zh' ? '、' : ', ')]].forEach(function (f) {
      if (f[1]) add(facts, [h('dt', null, t(f[0])), h('dd', null, f[1])]);
    });
    add(view, card(null, h('h2', null, p.code + ' · ' + p.name), h('span', { class: 'chip acc' }, name('stage.', p.stage)), h('span', { class: 'chip' }, name('category.', p.category)), facts));
    const grid = h('div', { class: 'grid' });
    const ev = p.evaluation;
    add(grid, card(t('evaluation'), ev ? [h('p', { class: 'muted small' }, ev.kind === 'result' ? t('eval_result', { count: ev.count }) : ev.kind === 'open' ? t('eval_open', { count: ev.count }) : t('eval_own')), scoreChart(ev.means)] : h('p', { class: 'muted small' }, t('no_evaluation'))));
    add(grid, card(t('open_risks') + ' · ' + p.risks.length, p.risks.length ? h('ul', { class: 'list' }, p.risks.map(function (r) {
      return h('li', null, h('div', { class: 'row' }, h('span', { class: 'small muted' }, '#' + r.id + ' · ' + day(r.at) + ' · ' + (r.unit || '—')), h('span', { class: 'chip ' + (r.days >= 30 ? 'bad' : 'warn') }, t('days_short', { n: r.days }))), h('div', { class: 'text' }, r.text));
    })) : empty()));
    add(view, grid);
    if (p.items.length || p.decisions.length || p.actions.length) {
      const decisions = {};
      p.decisions.forEach(function (d) { (decisions[d.item] = decisions[d.item] || []).push(d.text); });
      add(view, card(t('on_agendas'), h('ul', { class: 'list' }, p.items.map(function (i) {
        return h('li', null, h('a', { href: '#/meetings/' + i.meeting + (i.occ ? '?occ=' + encodeURIComponent(i.occ) : '') }, i.meeting_title), h('span', { class: 'muted small' }, ' · ' + day(i.at)),
          h('div', null, h('span', { class: 'chip' }, name('item.', i.kind)), i.title),
          (decisions[i.id] || []).map(function (text) { return h('div', { class: 'text small' }, '✔ ' + text); }));
      })), p.actions.length ? [h('h3', null, t('actions')), actionList(p.actions)] : null));
    }
    add(view, card(t('timeline'), p.timeline.length ? h('ul', { class: 'list timeline' }, p.timeline.map(function (e) {
      if (e.type === 'stage') {
        return h('li', { class: 'stage' }, h('div', { class: 'small muted' }, day(e.at)), h('div', null, t('stage_change', { from: e.from ? name('stage.', e.from) : '—', to: name('stage.', e.to) })), e.text ? h('div', { class: 'text small' }, e.text) : null);
      }
      return h('li', { class: e.tags.indexOf('risk') >= 0 ? 'risk' : '' }, h('div', { class: 'small muted' }, '#' + e.id + ' · ' + day(e.at) + ' · ' + (e.unit || '—') + ' ', e.tags.map(function (g) { return h('span', { class: 'chip' + (g === 'risk' ? ' bad' : g === 'major' ? ' warn' : '') }, name('tag.', g)); })), h('div', { class: 'text' }, e.text));
    })) : empty()));
  }

  function monthKey(date) { return date.getUTCFullYear() + '-' + String(date.getUTCMonth() + 1).padStart(2, '0'); }
  function shiftMonth(key, by) { const d = parts(key + '-01'); d.setUTCMonth(d.getUTCMonth() + by); return monthKey(d); }

  async function meetingsMonth(view, query) {
    const d = await api('/api/meetings' + (query.get('month') ? '?month=' + encodeURIComponent(query.get('month')) : ''));
    const first = parts(d.month + '-01');
    const title = new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(first);
    add(view, h('div', { class: 'monthbar' },
      h('a', { class: 'btn', href: '#/meetings?month=' + shiftMonth(d.month, -1), 'aria-label': t('prev_month') }, '‹'),
      h('h2', null, title),
      h('a', { class: 'btn', href: '#/meetings?month=' + shiftMonth(d.month, 1), 'aria-label': t('next_month') }, '›')));
    const byDay = {};
    d.meetings.forEach(function (m) { (byDay[m.start.slice(0, 10)] = byDay[m.start.slice(0, 10)] || []).push(m); });
    const cal = h('div', { class: 'cal' });
    const wd = new Intl.DateTimeFormat(locale(), { weekday: 'narrow', timeZone: 'UTC' });
    for (let i = 0; i < 7; i++) add(cal, h('div', { class: 'wd' }, wd.format(new Date(Date.UTC(2024, 0, 1 + i)))));
    const lead = (first.getUTCDay() + 6) % 7, days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    const today = S.today || '';
    for (let i = 0; i < lead; i++) add(cal, h('div', { class: 'day out' }));
    for (let n = 1; n <= days; n++) {
      const key = d.month + '-' + String(n).padStart(2, '0'), found = byDay[key] || [];
      add(cal, h(found.length ? 'a' : 'div', { class: 'day' + (found.length ? ' has' : '') + (key === today ? ' today' : ''), href: found.length ? '#/meetings/' + found[0].id + (found[0].occ ? '?occ=' + encodeURIComponent(found[0].occ) : '') : null },
        h('span', { class: 'n' }, n), found.length ? h('span', { class: 'cnt' }, found.length > 1 ? '×' + found.length : hm(found[0].start)) : null));
    }
    add(view, card(null, cal));
    add(view, card(t('tab_meetings'), d.meetings.length ? h('ul', { class: 'list' }, d.meetings.map(function (m) {
      return h('li', null, h('a', { href: '#/meetings/' + m.id + (m.occ ? '?occ=' + encodeURIComponent(m.occ) : '') }, m.title),
        h('div', { class: 'small muted' }, when(m.start) + '–' + hm(m.end) + (m.place ? ' · ' + m.place : '')),
        h('span', { class: 'chip' }, name('kind.', m.kind)), m.series ? h('span', { class: 'chip' }, t('series')) : null);
    })) : h('p', { class: 'muted small' }, t('no_meetings_month'))));
  }

  async function meetingPage(view, id, query) {
    const m = await api('/api/meetings/' + encodeURIComponent(id) + (query.get('occ') ? '?occ=' + encodeURIComponent(query.get('occ')) : ''));
    setTitle(m.title);
    const facts = h('dl', { class: 'facts' }, h('dt', null, t('time')), h('dd', null, when(m.start) + '–' + hm(m.end)));
    if (m.place) add(facts, [h('dt', null, t('place')), h('dd', { class: 'text' }, m.place)]);
    add(facts, [h('dt', null, t('invited')), h('dd', null, m.invited.length ? m.invited.map(function (u) { return unitLabel(u.code, u.name); }).join(S.lang === 'zh' ? '、' : ', ') : t('all_units'))]);
    add(view, card(null, h('h2', null, m.title), h('span', { class: 'chip acc' }, name('kind.', m.kind)), m.cancelled ? h('span', { class: 'chip bad' }, t('cancelled')) : null, m.series ? h('span', { class: 'chip' }, t('series')) : null, facts));
    add(view, card(t('agenda'), m.agenda.length ? h('ol', { class: 'list' }, m.agenda.map(function (i) {
      return h('li', null, h('div', null, i.n + '. ', h('span', { class: 'chip' }, name('item.', i.kind)), i.major ? h('span', { class: 'chip warn' }, t('major')) : null, i.title),
        h('div', { class: 'small muted' }, unitLabel(i.unit, null), i.project ? [' · ', h('a', { href: '#/projects/' + encodeURIComponent(i.project) }, i.project)] : null, i.minutes ? ' · ' + i.minutes + '′' : ''),
        i.decisions.map(function (text) { return h('div', { class: 'text small' }, '✔ ' + text); }));
    })) : empty()));
    const answers = m.answers.length ? h('div', { class: 'scroll' }, h('table', null,
      h('thead', null, h('tr', null, h('th', null, ''), ['attend', 'decline', 'delegate'].map(function (a) { return h('th', { class: 'num' }, name('answer.', a)); }))),
      h('tbody', null, m.answers.map(function (r) { return h('tr', null, h('td', null, unitLabel(r.unit, r.name)), h('td', { class: 'num' }, r.attend), h('td', { class: 'num' }, r.decline), h('td', { class: 'num' }, r.delegate)); })))) : empty();
    add(view, card(t('answers'), answers));
    const mn = m.minutes;
    add(view, card(mn.published ? t('minutes') + ' · ' + t('minutes_number', { number: mn.number, year: mn.year }) : t('minutes_draft'),
      h('h3', null, mn.from_rsvps ? t('present_rsvp') : t('present')),
      h('p', { class: 'small' }, mn.attendance.length ? mn.attendance.map(function (u) { return unitLabel(u.code, u.name); }).join(S.lang === 'zh' ? '、' : ', ') : '—'),
      mn.general.length ? [h('h3', null, t('general_decisions')), h('ul', { class: 'list' }, mn.general.map(function (x) { return h('li', { class: 'text' }, x); }))] : null,
      mn.actions.length ? [h('h3', null, t('actions')), actionList(mn.actions)] : null,
      mn.corrections.length ? [h('h3', null, t('corrections')), h('ul', { class: 'list' }, mn.corrections.map(function (x) { return h('li', { class: 'text' }, x); }))] : null));
  }

  function actionItem(a) {
    return h('li', null, h('div', { class: 'row' }, h('span', { class: 'small muted' }, 'A' + a.id + ' · ' + (a.owner || t('unassigned'))),
      a.overdue_days ? h('span', { class: 'chip bad' }, t('overdue_by', { n: a.overdue_days })) : h('span', { class: 'chip' }, t('due_on', { date: day(a.due) }))),
      h('div', { class: 'text' }, a.text),
      h('a', { class: 'small', href: '#/meetings/' + a.meeting }, t('from_meeting', { id: a.meeting })));
  }
  function actionList(list) { return h('ul', { class: 'list' }, list.map(actionItem)); }

  async function actions(view, query) {
    const mine = query.get('mine') === '1';
    const d = await api('/api/actions' + (mine ? '?mine=1' : ''));
    add(view, h('div', { class: 'seg' },
      h('button', { type: 'button', class: mine ? '' : 'on', onclick: function () { location.hash = '#/actions'; } }, t('all_open')),
      h('button', { type: 'button', class: mine ? 'on' : '', onclick: function () { location.hash = '#/actions?mine=1'; } }, t('mine'))));
    if (!d.actions.length) { add(view, card(null, empty())); return; }
    const groups = {};
    d.actions.forEach(function (a) { const g = groups[a.unit] = groups[a.unit] || { unit: a.unit, name: a.unit_name, list: [], overdue: 0 }; g.list.push(a); if (a.overdue_days) g.overdue++; });
    Object.keys(groups).map(function (k) { return groups[k]; })
      .sort(function (x, y) { return y.overdue - x.overdue || (x.unit ? 0 : 1) - (y.unit ? 0 : 1) || x.unit.localeCompare(y.unit); })
      .forEach(function (g) {
        add(view, card(null, h('h2', { class: 'row' }, h('span', null, g.unit ? unitLabel(g.unit, g.name) : t('unassigned')), h('span', null, g.overdue ? h('span', { class: 'chip bad' }, t('overdue') + ' ' + g.overdue) : null, h('span', { class: 'chip' }, g.list.length))), actionList(g.list)));
      });
  }

  /* ---- routing and chrome ---- */
  function setTitle(text) { document.getElementById('title').textContent = text; document.title = text; }
  function translateChrome() {
    document.documentElement.lang = S.lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-t]').forEach(function (el) { el.textContent = t(el.getAttribute('data-t')); });
    const lang = document.getElementById('lang');
    lang.textContent = S.lang === 'zh' ? 'EN' : '中文';
    lang.hidden = false;
  }
  function fail(err) {
    main.textContent = '';
    const code = err && err.code;
    const key = code === 'no_role' ? 'no_role' : code === 'expired' ? 'expired' : code === 'unauthorized' ? 'open_from_telegram' : code === 'not_found' ? 'not_found' : 'load_failed';
    add(main, card(null, h('p', { class: 'err' }, t(key))));
    main.setAttribute('data-ready', 'error');
  }

  async function route() {
    const raw = location.hash.replace(/^#\/?/, '') || 'overview';
    const q = raw.indexOf('?');
    const path = (q >= 0 ? raw.slice(0, q) : raw).split('/').map(decodeURIComponent);
    const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
    const tab = path[0] || 'overview';
    document.querySelectorAll('[data-tab]').forEach(function (a) { a.classList.toggle('on', a.getAttribute('data-tab') === tab); });
    postEvent('web_app_setup_back_button', { is_visible: path.length > 1 });
    setTitle(t('app_title'));
    const seq = ++S.seq;
    const box = h('div');  // filled while detached, then swapped in at once
    try {
      if (tab === 'projects' && path[1]) await projectPage(box, path[1]);
      else if (tab === 'projects') await projectBoard(box);
      else if (tab === 'meetings' && path[1]) await meetingPage(box, path[1], query);
      else if (tab === 'meetings') await meetingsMonth(box, query);
      else if (tab === 'actions') await actions(box, query);
      else await overview(box);
      if (seq !== S.seq) return;  // another page was asked for meanwhile
      main.textContent = '';
      main.appendChild(box);
      window.scrollTo(0, 0);
      main.setAttribute('data-ready', tab);
    } catch (err) {
      if (seq !== S.seq) return;
      fail(err);
      if (!(err && err.status)) console.warn('dashboard:', err);
    }
  }

  async function start() {
    readLaunch();
    postEvent('web_app_ready');
    postEvent('web_app_expand');
    if (!S.init) {
      try { const w = await (await fetch('/api/i18n')).json(); S.t = w.strings || {}; S.lang = w.lang; } catch (e) { /* none */ }
      fail({ code: 'unauthorized' });
      return;
    }
    try {
      const chosen = sessionStorage.getItem('coordLang');
      const [me, words] = await Promise.all([api('/api/me'), api('/api/i18n' + (chosen ? '?lang=' + chosen : ''))]);
      S.me = me; S.lang = words.lang; S.t = words.strings;
      S.today = new Date().toISOString().slice(0, 10);
    } catch (err) {
      try { const w = await (await fetch('/api/i18n')).json(); S.t = w.strings || {}; S.lang = w.lang; } catch (e) { /* none */ }
      fail(err);
      return;
    }
    translateChrome();
    document.getElementById('tabs').hidden = false;
    document.getElementById('lang').addEventListener('click', async function () {
      const next = S.lang === 'zh' ? 'en' : 'zh';
      const words = await api('/api/i18n?lang=' + next);
      S.lang = words.lang; S.t = words.strings;
      sessionStorage.setItem('coordLang', next);
      translateChrome();
      route();
    });
    window.addEventListener('hashchange', route);
    route();
  }
  start();
})();

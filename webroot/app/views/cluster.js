// Cluster page (admins): a live picture of the ring — members around a circle, the token on its
// holder, each node's last applied sequence number, relay backlog and parked events — and of the
// music: what share each node holds, songs below their factor, copies queued and their rate.
import { h } from '../dom.js';
import { request } from '../api.js';
import { app } from '../state.js';
import { pageHeader, errorBox } from '../ui.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export async function clusterView(root, params, ctx) {
  if (!app.isAdmin) { root.append(errorBox(new Error('Admins only'))); return; }
  const summary = h('div', { class: 'cluster-summary', 'data-testid': 'cluster-summary' });
  const ring = h('div', { class: 'cluster-ring', 'data-testid': 'cluster-ring' });
  const table = h('tbody');
  const haPanel = h('section', { class: 'panel', 'data-testid': 'cluster-ha' });
  root.append(pageHeader('Cluster', 'The token ring and the music, live: who holds the token, how far every node has applied the event log, and what share of the songs each node holds.'),
    h('section', { class: 'panel cluster-panel' }, summary, ring),
    haPanel,
    h('section', { class: 'panel' }, h('table', { class: 'table', 'data-testid': 'cluster-table' },
      h('thead', null, h('tr', null, h('th', null, 'Node'), h('th', null, 'Token'), h('th', null, 'Last applied'),
        h('th', null, 'Backlog'), h('th', null, 'Parked events'), h('th', null, 'Songs held'), h('th', null, 'Under factor'),
        h('th', null, 'Copies queued'), h('th', null, 'Copy rate'))), table)));

  // The leader and its floating IP: who leads, who holds the VIP since when, and the last hand-overs.
  function drawHa(ha) {
    if (!ha || ha.mode === 'off') {
      haPanel.replaceChildren(h('h3', null, 'Leader and floating IP'), h('p', { class: 'muted' }, 'High availability is off (ha.mode).'));
      return;
    }
    const history = (ha.failovers || []).slice().reverse();
    haPanel.replaceChildren(
      h('h3', null, `Leader and floating IP (${ha.mode})`),
      h('div', { class: 'cluster-summary' },
        h('div', { class: 'stat' }, h('div', { class: 'stat-value', 'data-testid': 'ha-leader' }, ha.leader || '—'), h('div', { class: 'stat-label' }, 'leader')),
        h('div', { class: 'stat' }, h('div', { class: 'stat-value' + (ha.vipHolder ? '' : ' danger'), 'data-testid': 'ha-vip-holder' }, ha.vipHolder || 'nobody'),
          h('div', { class: 'stat-label' }, `holds ${ha.vip || 'the VIP'}`)),
        h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, when(ha.since)), h('div', { class: 'stat-label' }, 'since'))),
      history.length
        ? h('table', { class: 'table', 'data-testid': 'ha-failovers' },
          h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'From'), h('th', null, 'To'), h('th', null, 'Why'))),
          h('tbody', null, ...history.map((f) => h('tr', null, h('td', null, when(f.at)), h('td', null, f.from || '—'),
            h('td', null, f.to || '—'), h('td', null, f.reason || '')))))
        : h('p', { class: 'muted' }, 'No failover yet.'));
  }

  let timer = null;
  async function refresh() {
    if (!ctx.alive()) { clearInterval(timer); return; }
    try {
      const view = await request('GET', '/api/cluster');
      if (!ctx.alive()) return;
      draw(view);
    } catch (e) {
      if (ctx.alive()) summary.replaceChildren(h('div', { class: 'error-box' }, e.message || 'Cluster view unavailable'));
    }
  }

  function draw(view) {
    const members = view.members || [];
    const maxApplied = Math.max(0, ...members.map((m) => m.lastApplied || 0));
    const under = Math.max(0, ...members.map((m) => (m.replication && m.replication.underReplicated) || 0));
    const factor = (members.find((m) => m.replication) || {}).replication?.factor ?? '?';
    summary.replaceChildren(
      h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, `${members.length} / ${view.configuredSize}`), h('div', { class: 'stat-label' }, 'nodes up')),
      h('div', { class: 'stat' }, h('div', { class: 'stat-value' + (view.majority ? '' : ' danger') }, view.majority ? 'yes' : 'no'), h('div', { class: 'stat-label' }, 'majority (writes allowed)')),
      h('div', { class: 'stat' }, h('div', { class: 'stat-value', 'data-testid': 'token-holder' }, view.tokenHolder || '—'), h('div', { class: 'stat-label' }, 'token holder')),
      h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, `${view.epoch ?? 0}`), h('div', { class: 'stat-label' }, `epoch (by ${view.epochOwner || '—'})`)),
      h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, `#${maxApplied}`), h('div', { class: 'stat-label' }, 'highest sequence')),
      h('div', { class: 'stat' }, h('div', { class: 'stat-value' + (under ? ' danger' : ''), 'data-testid': 'under-replicated' }, under ? String(under) : 'none'),
        h('div', { class: 'stat-label' }, `songs below factor ${factor}`)));

    const size = 320; const c = size / 2; const r = 110;
    const svg = s('svg', { viewBox: `0 0 ${size} ${size}`, class: 'ring-svg', role: 'img', 'aria-label': 'Token ring' });
    svg.append(s('circle', { cx: c, cy: c, r, class: 'ring-track' }));
    members.forEach((m, i) => {
      const a = (2 * Math.PI * i) / Math.max(1, members.length) - Math.PI / 2;
      const x = c + r * Math.cos(a); const y = c + r * Math.sin(a);
      const behind = maxApplied - (m.lastApplied || 0);
      const g = s('g', { class: 'ring-node' + (m.holdsToken ? ' holder' : '') + (m.reachable ? '' : ' unreachable'), 'data-node': m.nodeId });
      g.append(s('circle', { cx: x, cy: y, r: 26 }));
      g.append(s('text', { x, y: y - 2, 'text-anchor': 'middle', class: 'ring-name' }, m.nodeId));
      g.append(s('text', { x, y: y + 12, 'text-anchor': 'middle', class: 'ring-seq' }, `#${m.lastApplied ?? '?'}` + (behind > 0 ? ` (-${behind})` : '')));
      if (m.holdsToken) g.append(s('circle', { cx: x + 20, cy: y - 20, r: 7, class: 'ring-token' }));
      svg.append(g);
    });
    ring.replaceChildren(svg);
    drawHa(view.ha);

    table.replaceChildren(...members.map((m) => h('tr', { 'data-testid': 'cluster-row' },
      h('td', null, m.nodeId, view.self === m.nodeId ? h('span', { class: 'badge' }, 'this node') : null),
      h('td', null, m.holdsToken ? h('span', { class: 'badge badge-admin' }, 'holds token') : ''),
      h('td', null, m.lastApplied == null ? '?' : `#${m.lastApplied}`),
      h('td', null, m.backlog == null ? '?' : String(m.backlog)),
      h('td', null, (m.parked || []).length ? (m.parked || []).map((p) => `#${p.seq} ${p.type}: ${p.error}`).join('; ') : '—'),
      ...replicationCells(m.replication))));
  }

  await refresh();
  timer = setInterval(refresh, 1000);
}

function replicationCells(r) {
  if (!r) return [h('td', null, '?'), h('td', null, '?'), h('td', null, '?'), h('td', null, '?')];
  return [
    h('td', null, `${r.blobs} (${megabytes(r.bytes)})`),
    h('td', null, r.underReplicated ? h('span', { class: 'badge' }, String(r.underReplicated)) : '0'),
    h('td', null, String(r.backlog)),
    // Copies slow down while this node serves listeners: say so, or a slow repair looks like a fault.
    h('td', null, `${megabytes(r.copyRateBytesPerSecond)}/s${r.yieldingToListeners ? ' (listeners first)' : ''}`)];
}

function megabytes(bytes) {
  return `${((bytes || 0) / 1048576).toFixed(1)} MB`;
}

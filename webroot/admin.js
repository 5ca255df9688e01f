/*
 * The admin view: polls GET api/admin/overview every 2 s with the admin token (kept for this tab only,
 * in sessionStorage) and shows the nodes, the rooms with their users and message rates; closes a room
 * (DELETE api/admin/rooms/:id) or disconnects a user (POST api/admin/users/:user/disconnect).
 * User text only ever goes into the page with textContent.
 */
'use strict';

(() => {
  const KEY = 'roombus.adminToken';
  const errorBox = document.getElementById('error');
  const form = document.getElementById('token-form');
  const view = document.getElementById('view');
  const forget = document.getElementById('forget');
  let timer = null;

  function showError(message) {
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function call(method, path) {
    const token = sessionStorage.getItem(KEY);
    const response = await fetch(path, { method, headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (response.status === 401 || response.status === 404) {
      stop((body && body.error) || 'Refused');
      return null;
    }
    if (!response.ok) {
      showError((body && body.error) || ('Failed: ' + response.status));
      return null;
    }
    showError(null);
    return body;
  }

  function stop(message) {
    clearTimeout(timer);
    timer = null;
    sessionStorage.removeItem(KEY);
    view.hidden = true;
    form.hidden = false;
    forget.hidden = true;
    showError('Refused: ' + message);
  }

  function button(label, className, action) {
    const b = el('button', className, label);
    b.type = 'button';
    b.addEventListener('click', action);
    return b;
  }

  function renderNodes(nodes, self) {
    const body = document.querySelector('#nodes tbody');
    body.replaceChildren(...nodes.map(n => {
      const tr = el('tr');
      tr.dataset.node = n.node;
      tr.append(el('td', 'node-id', n.node.slice(0, 8) + (n.node === self ? ' (this one)' : '')));
      if (n.error) {
        tr.append(el('td', null, '—'), el('td', null, '—'), el('td', null, '—'), el('td', null, '—'), el('td', null, '—'),
          el('td', 'node-state', n.error));
        return tr;
      }
      const byTransport = Object.entries(n.connections || {}).filter(([, c]) => c > 0)
        .map(([t, c]) => t + ': ' + c).join(', ') || '—';
      const m = n.messages || {};
      tr.append(el('td', null, n.http), el('td', 'node-connections', String(n.connectionCount)),
        el('td', 'node-transports', byTransport), el('td', 'node-users', String(n.usersPresent)),
        el('td', null, [m.posted, m.stored, m.delivered, m.refused].join(' / ')),
        el('td', 'node-state', n.draining ? 'draining' : 'serving'));
      return tr;
    }));
  }

  function renderRooms(rooms) {
    const body = document.querySelector('#admin-rooms tbody');
    document.getElementById('no-admin-rooms').hidden = rooms.length > 0;
    body.replaceChildren(...rooms.map(r => {
      const tr = el('tr');
      tr.dataset.room = r.id;
      const title = el('td', 'room-title', (r.locked ? '🔒 ' : '') + r.title);
      title.title = r.id;
      const users = el('td', 'room-users');
      (r.participants || []).forEach(p => {
        const span = el('span', 'room-user', p.color);
        span.style.color = p.color;
        span.dataset.user = p.user;
        users.append(span, ' ', button('disconnect', 'disconnect', () => disconnect(p.user)), ' ');
      });
      tr.append(title, el('td', 'room-seats', r.count + '/' + r.max), el('td', 'room-rate', String(r.messagesPerMinute || 0)),
        users, el('td', null).appendChild(button('close room', 'close-room', () => closeRoom(r.id))).parentNode);
      return tr;
    }));
  }

  async function refresh() {
    const overview = await call('GET', 'api/admin/overview');
    if (!overview) return;
    view.hidden = false;
    form.hidden = true;
    forget.hidden = false;
    renderNodes(overview.nodes, overview.node);
    renderRooms(overview.rooms);
    document.getElementById('updated').textContent = new Date(overview.time).toLocaleTimeString();
    clearTimeout(timer);
    timer = setTimeout(refresh, 2000);
  }

  async function closeRoom(id) {
    if (await call('DELETE', 'api/admin/rooms/' + encodeURIComponent(id))) refresh();
  }

  async function disconnect(user) {
    if (await call('POST', 'api/admin/users/' + encodeURIComponent(user) + '/disconnect')) refresh();
  }

  form.addEventListener('submit', e => {
    e.preventDefault();
    const input = document.getElementById('token-input');
    sessionStorage.setItem(KEY, input.value);
    input.value = '';
    refresh();
  });
  forget.addEventListener('click', () => { stop('token forgotten'); showError(null); });

  if (sessionStorage.getItem(KEY)) refresh();
})();

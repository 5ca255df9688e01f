/* The room list: live over the event bus address chat.rooms. */
'use strict';

(async () => {
  const { api, showError, paintBadge, connectBus, carriedQuery, el, nameOf, paintText, chip } = roombus;
  const tbody = document.querySelector('#rooms tbody');
  const empty = document.getElementById('no-rooms');
  const rows = new Map();
  let pendingRoom = null;

  function render(room) {
    let row = rows.get(room.id);
    if (!row) {
      row = el('tr');
      row.dataset.room = room.id;
      rows.set(room.id, row);
      tbody.appendChild(row);
    }
    row.replaceChildren();
    const title = el('td', 'title');
    title.textContent = (room.locked ? '🔒 ' : '') + room.title;
    const people = el('td', 'count', room.count + '/' + room.max);
    const owner = el('td', 'owner');
    const ownerName = el('span', 'name', nameOf(room.owner));
    owner.append(chip(room.ownerColor), ownerName);
    owner.title = room.ownerColor;
    const action = el('td');
    const enter = el('button', 'enter', 'Enter');
    enter.type = 'button';
    enter.addEventListener('click', () => tryEnter(room));
    action.appendChild(enter);
    row.append(title, people, owner, action);
    paintText(ownerName, room.ownerColor);
    row._room = room;
    empty.hidden = rows.size > 0;
  }

  function remove(id) {
    const row = rows.get(id);
    if (row) { row.remove(); rows.delete(id); }
    empty.hidden = rows.size > 0;
  }

  function setCount(id, count) {
    const row = rows.get(id);
    if (!row) return;
    row._room.count = count;
    row.querySelector('.count').textContent = count + '/' + row._room.max;
  }

  async function tryEnter(room, password) {
    showError(null);
    const result = await api('POST', 'api/rooms/' + encodeURIComponent(room.id) + '/enter',
      password === undefined ? {} : { password });
    if (result.status === 200) {
      location.href = 'room.html?id=' + encodeURIComponent(room.id) + carriedQuery();
    } else if (result.status === 403 && room.locked && password === undefined) {
      pendingRoom = room;
      document.getElementById('password-room').textContent = room.title;
      document.getElementById('password-form').hidden = false;
      document.getElementById('password-input').focus();
    } else {
      showError((result.body && result.body.error) || 'Could not enter the room');
    }
  }

  document.getElementById('password-form').addEventListener('submit', e => {
    e.preventDefault();
    const input = document.getElementById('password-input');
    if (pendingRoom) tryEnter(pendingRoom, input.value);
    input.value = '';
  });
  document.getElementById('password-cancel').addEventListener('click', () => {
    document.getElementById('password-form').hidden = true;
    pendingRoom = null;
  });

  document.getElementById('create-form').addEventListener('submit', async e => {
    e.preventDefault();
    showError(null);
    const body = { title: document.getElementById('create-title').value };
    const max = document.getElementById('create-max').value;
    if (max) body.max = Number(max);
    const password = document.getElementById('create-password').value;
    if (password) body.password = password;
    const result = await api('POST', 'api/rooms', body);
    if (result.status === 201) {
      location.href = 'room.html?id=' + encodeURIComponent(result.body.id) + carriedQuery();
    } else {
      showError((result.body && result.body.error) || 'Could not create the room');
    }
  });

  const me = await api('GET', 'api/me');
  if (me.status !== 200) {
    showError("Can't reach the hub. Reload the page to try again.", [{ label: 'Reload', run: () => location.reload() }]);
    return;
  }
  paintBadge(document.getElementById('me-badge'), me.body.user, me.body.color);

  async function reload() {
    const list = await api('GET', 'api/rooms');
    if (list.status !== 200) return;
    const seen = new Set(list.body.map(r => r.id));
    [...rows.keys()].filter(id => !seen.has(id)).forEach(remove);
    list.body.forEach(render);
  }

  connectBus(bus => {
    bus.registerHandler('chat.rooms', (err, msg) => {
      if (err) { showError(err.message || 'Room list unavailable'); return; }
      const event = msg.body;
      if (event.type === 'newRoom') render(event.room);
      else if (event.type === 'removeRoom') remove(event.id);
      else if (event.type === 'count') setCount(event.id, event.count);
    });
    reload(); // catch up on what changed while (re)connecting
  });
  await reload();
})();

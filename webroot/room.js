/* One room: history, live messages over the event bus address chat.room.<id>, posting, GIFs. */
'use strict';

(async () => {
  const { api, showError, paintBadge, connectBus, el, params } = roombus;
  const roomId = params.get('id');
  const address = 'chat.room.' + roomId;
  const list = document.getElementById('chat-list');
  const scroller = document.getElementById('messages');
  const olderButton = document.getElementById('older');
  const seen = new Set();
  let lastSeq = 0;
  let firstSeq = null;
  let me = null;
  let bus = null;
  let closed = false;

  function messageNode(m) {
    const li = el('li', m.type === 'join' || m.type === 'exit' ? 'system' : 'message');
    li.dataset.seq = m.seq;
    li.dataset.type = m.type;
    if (m.type === 'join' || m.type === 'exit') {
      li.textContent = m.chat;
      li.style.color = m.color;
      return li;
    }
    const who = el('span', 'who', m.user === me.user ? m.color + ' (you)' : m.color);
    who.style.color = m.color;
    li.appendChild(who);
    if (m.type === 'gif') {
      const img = el('img');
      img.src = m.url || ('gif/' + m.gif);
      img.alt = 'GIF from ' + m.color;
      li.appendChild(img);
    } else {
      li.appendChild(el('span', 'text', m.chat));
    }
    return li;
  }

  /** Adds stored messages in seq order, each once, whatever path (history, catch-up, live) brought it. */
  function add(messages, prepend) {
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    const fresh = messages.filter(m => m.seq && !seen.has(m.seq)).sort((a, b) => a.seq - b.seq);
    if (prepend) {
      const before = scroller.scrollHeight;
      list.prepend(...fresh.map(messageNode));
      scroller.scrollTop += scroller.scrollHeight - before;
    } else {
      fresh.forEach(m => {
        // a live message may overtake a catch-up; keep the list in seq order
        const node = messageNode(m);
        const next = [...list.children].find(li => Number(li.dataset.seq) > m.seq);
        list.insertBefore(node, next || null);
      });
      if (atBottom) scroller.scrollTop = scroller.scrollHeight;
    }
    fresh.forEach(m => {
      seen.add(m.seq);
      lastSeq = Math.max(lastSeq, m.seq);
      firstSeq = firstSeq === null ? m.seq : Math.min(firstSeq, m.seq);
    });
  }

  function setCount(count) {
    document.getElementById('count').textContent = count;
  }

  function showParticipants(participants) {
    const ul = document.getElementById('participants');
    ul.replaceChildren(...participants.map(p => {
      const li = el('li', null, p.color + (p.user === me.user ? ' (you)' : ''));
      li.style.color = p.color;
      li.dataset.user = p.user;
      return li;
    }));
  }

  async function refreshParticipants() {
    const result = await api('GET', 'api/rooms/' + encodeURIComponent(roomId));
    if (result.status === 200) {
      showParticipants(result.body.participants || []);
      setCount((result.body.participants || []).length);
    }
  }

  function roomGone(message) {
    closed = true;
    showError(message);
    document.getElementById('chat-form').querySelectorAll('input, button').forEach(x => { x.disabled = true; });
    if (bus) { bus.enableReconnect(false); bus.close(); }
  }

  function onRoomEvent(err, msg) {
    if (err) {
      if (err.failureType === 'room_full' || err.failureCode === 409) roomGone('The room is full');
      else if (err.failureCode === 404) roomGone('This room no longer exists');
      else showError(err.message || 'Connection problem');
      return;
    }
    const event = msg.body;
    switch (event.type) {
      case 'welcome':
        setCount(event.count);
        showParticipants(event.participants || []);
        break;
      case 'removed':
        roomGone('The owner deleted this room (or it was left empty).');
        break;
      case 'join':
      case 'exit':
        add([event]);
        if (typeof event.count === 'number') setCount(event.count);
        refreshParticipants();
        break;
      default:
        if (event.seq) add([event]);
    }
  }

  async function enter(password) {
    const result = await api('POST', 'api/rooms/' + encodeURIComponent(roomId) + '/enter',
      password === undefined ? {} : { password });
    if (result.status === 403 && password === undefined) {
      document.getElementById('password-form').hidden = false;
      return null;
    }
    if (result.status !== 200) {
      roomGone((result.body && result.body.error) || 'Could not enter the room');
      return null;
    }
    document.getElementById('password-form').hidden = true;
    showError(null);
    return result.body;
  }

  function start(entered) {
    const room = entered.room;
    document.title = 'roombus — ' + room.title;
    document.getElementById('room-title').textContent = (room.locked ? '🔒 ' : '') + room.title;
    document.getElementById('max').textContent = room.max;
    setCount(room.count);
    showParticipants(entered.participants || []);
    document.getElementById('delete-room').hidden = room.owner !== me.user;
    add(entered.chats);
    olderButton.hidden = !(firstSeq > 1);
    scroller.scrollTop = scroller.scrollHeight;
    bus = connectBus(b => {
      if (closed) return;
      // (re)joining: the server first sends what was stored after lastSeq, then live messages
      b.registerHandler(address, { since: String(lastSeq) }, onRoomEvent);
    });
  }

  async function loadOlder() {
    if (!(firstSeq > 1)) return;
    olderButton.disabled = true;
    const result = await api('GET', 'api/rooms/' + encodeURIComponent(roomId) + '/chats?before=' + firstSeq + '&limit=50');
    olderButton.disabled = false;
    if (result.status === 200) add(result.body, true);
    olderButton.hidden = !(firstSeq > 1);
  }
  olderButton.addEventListener('click', loadOlder);
  scroller.addEventListener('scroll', () => { if (scroller.scrollTop === 0) loadOlder(); });

  document.getElementById('chat-form').addEventListener('submit', async e => {
    e.preventDefault();
    const input = document.getElementById('chat-input');
    const chat = input.value;
    if (!chat.trim()) return;
    input.value = '';
    showError(null);
    if (bus && bus.state === EventBus.OPEN) {
      bus.send(address, { chat }, (err, reply) => {
        if (err) { showError(err.message || 'Not sent'); input.value = chat; return; }
        add([reply.body]);
      });
    } else {
      const result = await api('POST', 'api/rooms/' + encodeURIComponent(roomId) + '/chats', { chat });
      if (result.status === 201) add([result.body]);
      else { showError((result.body && result.body.error) || 'Not sent'); input.value = chat; }
    }
  });

  document.getElementById('gif-input').addEventListener('change', async e => {
    const file = e.target.files[0];
    if (!file) return;
    showError(null);
    const form = new FormData();
    form.append('gif', file, file.name);
    const result = await api('POST', 'api/rooms/' + encodeURIComponent(roomId) + '/gifs', form);
    e.target.value = '';
    if (result.status === 201) add([result.body]);
    else showError((result.body && result.body.error) || 'The GIF was not sent');
  });

  document.getElementById('delete-room').addEventListener('click', async () => {
    const result = await api('DELETE', 'api/rooms/' + encodeURIComponent(roomId));
    if (result.status === 204) location.href = './';
    else showError((result.body && result.body.error) || 'Could not delete the room');
  });

  document.getElementById('password-form').addEventListener('submit', async e => {
    e.preventDefault();
    const input = document.getElementById('password-input');
    const entered = await enter(input.value);
    input.value = '';
    if (entered) start(entered);
    else if (!closed) showError('Wrong password');
  });

  const who = await api('GET', 'api/me');
  me = who.body;
  paintBadge(document.getElementById('me-badge'), me.user, me.color);
  if (!roomId) { roomGone('No room given'); return; }
  const entered = await enter();
  if (entered) start(entered);
})();

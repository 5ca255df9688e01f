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
  let contiguous = null; // every seq from the first shown up to this one is on the page
  let gapTimer = null;
  let me = null;
  let bus = null;
  let closed = false;
  let owner = null;
  let reentered = false;

  const NOTICES = ['join', 'exit', 'owner', 'kick'];

  function messageNode(m) {
    const li = el('li', NOTICES.includes(m.type) ? 'system' : m.type === 'whisper' ? 'message whisper' : 'message');
    if (m.seq) li.dataset.seq = m.seq;
    li.dataset.type = m.type;
    if (NOTICES.includes(m.type)) {
      li.textContent = m.chat;
      li.style.color = m.color;
      return li;
    }
    let name = m.user === me.user ? m.color + ' (you)' : m.color;
    if (m.type === 'whisper') name += ' → ' + (m.to === me.user ? 'you' : m.toColor) + ' (whisper)';
    const who = el('span', 'who', name);
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
    if (contiguous === null && firstSeq !== null) contiguous = firstSeq;
    while (contiguous !== null && seen.has(contiguous + 1)) contiguous++;
    if (contiguous !== null && lastSeq > contiguous && !gapTimer) gapTimer = setTimeout(fillGap, 2000);
  }

  /**
   * Messages are numbered without gaps. A gap that lasts (a message published by a node that died
   * right after storing it never arrived live) is filled from the stored history.
   */
  async function fillGap() {
    gapTimer = null;
    if (closed || contiguous === null || lastSeq <= contiguous) return;
    const result = await api('GET', 'api/rooms/' + encodeURIComponent(roomId) + '/chats?after=' + contiguous);
    if (result.status === 200) add(result.body);
  }

  function setCount(count) {
    document.getElementById('count').textContent = count;
  }

  /** Whispers have no seq: they are shown as they come, after the stored messages. */
  function addWhisper(w) {
    list.appendChild(messageNode(w));
    scroller.scrollTop = scroller.scrollHeight;
  }

  function showParticipants(participants) {
    const ul = document.getElementById('participants');
    const to = document.getElementById('chat-to');
    const chosen = to.value;
    ul.replaceChildren(...participants.map(p => {
      const li = el('li', null);
      li.appendChild(el('span', 'name', p.color + (p.user === me.user ? ' (you)' : '') + (p.user === owner ? ' ★' : '')));
      li.style.color = p.color;
      li.dataset.user = p.user;
      if (owner === me.user && p.user !== me.user) {
        const promote = el('button', 'make-owner', 'make owner');
        promote.type = 'button';
        promote.addEventListener('click', () => ownerAction('owner', p.user));
        const kick = el('button', 'kick', 'remove');
        kick.type = 'button';
        kick.addEventListener('click', () => ownerAction('kick', p.user));
        li.append(' ', promote, ' ', kick);
      }
      return li;
    }));
    to.replaceChildren(el('option', null, 'Everyone'), ...participants.filter(p => p.user !== me.user).map(p => {
      const option = el('option', null, 'Whisper to ' + p.color);
      option.value = p.user;
      return option;
    }));
    to.firstChild.value = '';
    if ([...to.options].some(o => o.value === chosen)) to.value = chosen;
  }

  async function ownerAction(action, user) {
    const result = await api('POST', 'api/rooms/' + encodeURIComponent(roomId) + '/' + action, { user });
    if (result.status !== 200) showError((result.body && result.body.error) || 'Not allowed');
  }

  function setOwner(user) {
    owner = user;
    document.getElementById('delete-room').hidden = owner !== me.user;
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
    if (bus) bus.close();
  }

  function onRoomEvent(err, msg) {
    if (err) {
      if (err.failureType === 'access_denied' && !reentered) {
        // the session is new to the hub (it restarted): enter again, then register again
        reentered = true;
        enter().then(ok => {
          const live = bus && bus.bus();
          if (!ok || !live || live.state !== EventBus.OPEN) return;
          live.unregisterHandler(address, onRoomEvent); // forget the refused registration, then ask again
          live.registerHandler(address, { since: String(lastSeq) }, onRoomEvent);
        });
        return;
      }
      if (err.failureType === 'room_full' || err.failureCode === 409) roomGone('The room is full');
      else if (err.failureCode === 404) roomGone('This room no longer exists');
      else showError(err.message || 'Connection problem');
      return;
    }
    const event = msg.body;
    switch (event.type) {
      case 'welcome':
        reentered = false;
        setCount(event.count);
        showParticipants(event.participants || []);
        break;
      case 'removed':
        roomGone('The owner deleted this room (or it was left empty).');
        break;
      case 'whisper':
        addWhisper(event);
        break;
      case 'owner':
        add([event]);
        setOwner(event.owner);
        refreshParticipants();
        break;
      case 'kick':
        add([event]);
        if (event.user === me.user) roomGone('The owner removed you from this room.');
        else refreshParticipants();
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
      const info = await api('GET', 'api/rooms/' + encodeURIComponent(roomId));
      if (info.status === 200 && info.body.locked) {
        document.getElementById('password-form').hidden = false;
        return null;
      }
    }
    if (result.status === 403 && password !== undefined && result.body && /password/i.test(result.body.error)) {
      showError(result.body.error);
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
    setOwner(room.owner);
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
    const to = document.getElementById('chat-to').value;
    const body = to ? { chat, to } : { chat };
    const shown = m => (m.type === 'whisper' ? addWhisper(m) : add([m]));
    const live = bus && bus.bus();
    if (live && live.state === EventBus.OPEN) {
      live.send(address, body, (err, reply) => {
        if (err) { showError(err.message || 'Not sent'); input.value = chat; return; }
        if (reply.body.type !== 'whisper') add([reply.body]); // a whisper arrives live to its sender too
      });
    } else {
      const result = await api('POST', 'api/rooms/' + encodeURIComponent(roomId) + '/chats', body);
      if (result.status === 201) shown(result.body);
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
  });

  const who = await api('GET', 'api/me');
  me = who.body;
  paintBadge(document.getElementById('me-badge'), me.user, me.color);
  if (!roomId) { roomGone('No room given'); return; }
  const entered = await enter();
  if (entered) start(entered);
})();

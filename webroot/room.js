/*
 * One room: its history and live events over the event-bus address chat.room.<id>, posting (nothing
 * typed is lost: see outbox), whispers, "… is typing", GIFs with a preview, and every way of ending
 * (left, removed, room deleted, full, wrong password) shown with what to do next.
 */
'use strict';

(async () => {
  const { api, showError, paintBadge, connectBus, el, params, nameOf, paintText, chip, timeNode, refreshTimes } = roombus;
  const $ = id => document.getElementById(id);
  const roomId = params.get('id');
  const address = 'chat.room.' + roomId;
  const roomPath = 'api/rooms/' + encodeURIComponent(roomId || '');
  const list = $('chat-list');
  const scroller = $('messages');
  const input = $('chat-input');

  const NOTICES = ['join', 'exit', 'owner', 'kick'];
  /** The page says "I am typing" at most this often, and shows someone typing for this long after. */
  const TYPING_EVERY_MS = 3000;
  const TYPING_SHOWN_MS = 6000;
  /** A send over the bus not answered within this time is sent again (with its key: stored once). */
  const ACK_WAIT_MS = 8000;
  const BACK_TO_ROOMS = { label: 'Back to rooms', href: './' };

  /**
   * Where the page is: loading → password? → joining → in ⇄ reconnecting; and from anywhere → ended.
   * The form is usable in 'in' and 'reconnecting' (what is sent meanwhile waits in the outbox).
   */
  let phase = 'loading';
  let me = null;
  let room = null;
  let owner = null;
  let bus = null;
  let reentered = false;
  let participants = [];

  function setPhase(next) {
    phase = next;
    document.body.dataset.phase = next;
    const usable = next === 'in' || next === 'reconnecting';
    $('chat-fields').disabled = !usable;
    $('leave-room').disabled = !usable;
    if (!usable) closeGifPreview();
  }

  // ---- messages ---------------------------------------------------------------------------

  const seen = new Set(); // seqs on the page
  const whispersSeen = new Set(); // ids of whispers on the page
  let lastSeq = 0;
  let firstSeq = null;
  let contiguous = null; // every seq from the first shown up to this one is on the page
  let gapTimer = null;

  function displayName(user) {
    return user === me.user ? 'You' : nameOf(user);
  }

  function noticeText(m) {
    const mine = m.user === me.user;
    const who = displayName(m.user);
    switch (m.type) {
      case 'join': return who + ' joined';
      case 'exit': return who + ' left';
      case 'owner': return who + (mine ? ' are' : ' is') + ' now the owner';
      default: return who + (mine ? ' were' : ' was') + ' removed by the owner';
    }
  }

  function messageNode(m) {
    const notice = NOTICES.includes(m.type);
    const li = el('li', notice ? 'system' : 'message');
    li.dataset.type = m.type;
    li.dataset.user = m.user;
    if (m.seq) li.dataset.seq = m.seq;
    if (m.type === 'whisper') { li.dataset.after = m.after || 0; li.dataset.id = m.id; li.classList.add('whisper'); }
    if (m.key) li.dataset.key = m.key;
    if (notice) {
      li.append(chip(m.color), el('span', 'notice', noticeText(m)));
      li.title = new Date(m.createdAt).toLocaleString();
      return li;
    }
    if (m.user === me.user) li.classList.add('mine');
    const meta = el('div', 'meta');
    const who = el('span', 'who', displayName(m.user));
    who.dataset.color = m.color; // painted readable once placed, on the bubble's own background
    meta.append(chip(m.color), who);
    if (m.type === 'whisper') {
      meta.append(el('span', 'to', ' → ' + (m.to === me.user ? 'you' : nameOf(m.to)) + ' (whisper)'));
    }
    meta.append(' ', timeNode(m.createdAt));
    li.appendChild(meta);
    if (m.type === 'gif') {
      const img = el('img');
      img.src = m.url || ('gif/' + m.gif);
      img.alt = 'GIF from ' + nameOf(m.user);
      li.appendChild(img);
    } else {
      li.appendChild(el('span', 'text', m.chat));
    }
    return li;
  }

  /** Where an item goes in the list: stored messages by seq, a whisper after the message it followed, unsent posts last. */
  function position(li) {
    if (li.dataset.seq) return Number(li.dataset.seq);
    if (li.dataset.after !== undefined) return Number(li.dataset.after) + 0.5;
    return Infinity;
  }

  function place(node) {
    const at = position(node);
    const next = [...list.children].find(li => position(li) > at);
    list.insertBefore(node, next || null);
    node.querySelectorAll('[data-color]').forEach(who => paintText(who, who.dataset.color));
  }

  /** Adds stored messages and whispers, each once, in order, whatever path (history, catch-up, live) brought them. */
  function add(messages, older) {
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    const before = scroller.scrollHeight;
    const fresh = messages.filter(m => m.type === 'whisper' ? !whispersSeen.has(m.id) : m.seq && !seen.has(m.seq));
    fresh.forEach(m => {
      place(messageNode(m));
      if (m.type === 'whisper') { whispersSeen.add(m.id); return; }
      seen.add(m.seq);
      lastSeq = Math.max(lastSeq, m.seq);
      firstSeq = firstSeq === null ? m.seq : Math.min(firstSeq, m.seq);
    });
    fresh.forEach(m => { if (m.key) outbox.arrived(m.key); if (m.type !== 'typing') typing.stopped(m.user); });
    if (older) scroller.scrollTop += scroller.scrollHeight - before;
    else if (atBottom) scroller.scrollTop = scroller.scrollHeight;
    calmNotices();
    if (contiguous === null && firstSeq !== null) contiguous = firstSeq;
    while (contiguous !== null && seen.has(contiguous + 1)) contiguous++;
    if (contiguous !== null && lastSeq > contiguous && !gapTimer) gapTimer = setTimeout(fillGap, 2000);
  }

  /**
   * Keeps presence notices calm: a join of someone the list already shows as joined (no exit since) says
   * nothing new, and is hidden.
   */
  function calmNotices() {
    const joined = new Set();
    for (const li of list.children) {
      const type = li.dataset.type;
      if (type === 'exit') joined.delete(li.dataset.user);
      if (type !== 'join' || li.classList.contains('calmed')) continue;
      if (joined.has(li.dataset.user)) calm(li);
      else joined.add(li.dataset.user);
    }
  }

  function calm(li) {
    li.classList.add('calmed');
    li.hidden = true;
  }

  /**
   * Messages are numbered without gaps. A gap that lasts (a message published by a node that died
   * right after storing it never arrived live) is filled from the stored history.
   */
  async function fillGap() {
    gapTimer = null;
    if (phase === 'ended' || contiguous === null || lastSeq <= contiguous) return;
    const result = await api('GET', roomPath + '/chats?after=' + contiguous);
    if (result.status === 200) add(result.body);
  }

  async function loadOlder() {
    if (!(firstSeq > 1)) return;
    const olderButton = $('older');
    olderButton.disabled = true;
    const result = await api('GET', roomPath + '/chats?before=' + firstSeq + '&limit=50');
    olderButton.disabled = false;
    if (result.status === 200) add(result.body, true);
    olderButton.hidden = !(firstSeq > 1);
  }
  $('older').addEventListener('click', loadOlder);
  scroller.addEventListener('scroll', () => { if (scroller.scrollTop === 0) loadOlder(); });

  // ---- the outbox: nothing typed is lost --------------------------------------------------

  /**
   * Every post goes through here. It is shown at once as an unsent line, kept in sessionStorage (a
   * reload does not lose it either), and sent with an idempotency key: sent again after a lost answer,
   * a dropped connection or a restart of the hub, it is still stored only once. A post the hub refuses
   * stays on the page, with the reason and Retry, Edit and Discard.
   */
  const outbox = (() => {
    const storageKey = 'roombus.outbox.' + roomId;
    const items = new Map(); // key → { key, chat, to, state: 'sending' | 'waiting' | 'failed', reason, node, timer }

    function save() {
      const kept = [...items.values()].map(({ key, chat, to, state, reason }) => ({ key, chat, to, state, reason }));
      try { sessionStorage.setItem(storageKey, JSON.stringify(kept)); } catch (e) { /* private mode: kept in the page */ }
    }

    function load() {
      let kept = [];
      try { kept = JSON.parse(sessionStorage.getItem(storageKey) || '[]'); } catch (e) { kept = []; }
      kept.forEach(k => { items.set(k.key, { ...k, state: k.state === 'failed' ? 'failed' : 'waiting' }); render(items.get(k.key)); });
    }

    function newKey() {
      if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
      return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
    }

    function render(item) {
      if (!item.node) {
        item.node = el('li', 'message mine pending');
        item.node.dataset.key = item.key;
        place(item.node);
      }
      const node = item.node;
      node.dataset.state = item.state;
      const meta = el('div', 'meta');
      meta.append(chip(me.color), el('span', 'who', 'You'));
      if (item.to) meta.append(el('span', 'to', ' → ' + nameOf(item.to) + ' (whisper)'));
      const status = el('div', 'status');
      if (item.state === 'sending') status.textContent = 'Sending…';
      else if (item.state === 'waiting') status.textContent = 'Not sent yet: ' + (item.reason || 'waiting for the connection') + '. It will be sent when the hub is back.';
      else {
        status.textContent = 'Not sent: ' + item.reason + ' ';
        status.append(button('Retry', 'retry', () => send(item)), ' ', button('Edit', 'edit', () => edit(item)),
          ' ', button('Discard', 'discard', () => drop(item)));
      }
      node.replaceChildren(meta, el('span', 'text', item.chat), status);
      scroller.scrollTop = scroller.scrollHeight;
    }

    function button(label, className, run) {
      const b = el('button', 'link ' + className, label);
      b.type = 'button';
      b.addEventListener('click', run);
      return b;
    }

    function post(chat, to) {
      const item = { key: newKey(), chat, to, state: 'sending' };
      items.set(item.key, item);
      save();
      send(item);
    }

    function set(item, state, reason) {
      if (!items.has(item.key)) return;
      item.state = state;
      item.reason = reason;
      render(item);
      save();
    }

    /** Over the bus when it is open (the answer is the stored message), else over HTTP. */
    function send(item) {
      clearTimeout(item.timer);
      if (phase === 'ended') return;
      set(item, 'sending');
      const body = { chat: item.chat, key: item.key };
      if (item.to) body.to = item.to;
      if (phase === 'in' && bus && bus.isOpen()) {
        item.timer = setTimeout(() => { if (item.state === 'sending') set(item, 'waiting', 'no answer from the hub yet'); }, ACK_WAIT_MS);
        try {
          bus.bus().send(address, body, (err, reply) => {
            clearTimeout(item.timer);
            if (err) refused(item, err.failureCode, err.message);
            else delivered(item, reply.body);
          });
          return;
        } catch (e) {
          clearTimeout(item.timer); // the connection closed just now: over HTTP instead
        }
      }
      api('POST', roomPath + '/chats', body).then(result => {
        if (result.status === 201) delivered(item, result.body);
        else refused(item, result.status, result.body && result.body.error);
      });
    }

    function refused(item, status, reason) {
      if (!items.has(item.key)) return;
      if (!status || status === 429 || status >= 500) {
        // not the post's fault: unreachable, too fast, or busy. Kept, and sent again
        set(item, 'waiting', status ? reason : "can't reach the hub");
        item.timer = setTimeout(() => { if (items.has(item.key) && (phase === 'in' || status)) send(item); }, status ? 2000 : 5000);
        return;
      }
      set(item, 'failed', reason || 'refused by the hub');
    }

    function delivered(item, message) {
      arrived(item.key);
      add([message]);
    }

    /** A stored message with this key reached the page (answer, live copy or catch-up): it is sent. */
    function arrived(key) {
      const item = items.get(key);
      if (!item) return;
      clearTimeout(item.timer);
      items.delete(key);
      if (item.node) item.node.remove();
      save();
    }

    function edit(item) {
      drop(item);
      input.value = input.value ? input.value + ' ' + item.chat : item.chat;
      input.focus();
    }

    function drop(item) {
      clearTimeout(item.timer);
      items.delete(item.key);
      if (item.node) item.node.remove();
      save();
    }

    /** Sends what waits (after joining, again after a reconnect). */
    function flush() {
      items.forEach(item => { if (item.state !== 'failed') send(item); });
    }

    /** The room ended: what could not be sent stays on the page, refused, so its text can be copied. */
    function end(reason) {
      items.forEach(item => { clearTimeout(item.timer); item.state = 'failed'; item.reason = reason; render(item); });
    }

    return { load, post, arrived, flush, end };
  })();

  $('chat-form').addEventListener('submit', e => {
    e.preventDefault();
    if (phase !== 'in' && phase !== 'reconnecting') return;
    const chat = input.value;
    if (!chat.trim()) return;
    outbox.post(chat, $('chat-to').value || undefined);
    input.value = '';
    typing.sent();
    input.focus();
  });

  // ---- typing -----------------------------------------------------------------------------

  const typing = (() => {
    const typists = new Map(); // user → timer
    let lastSignal = 0;

    function render() {
      const names = [...typists.keys()].map(nameOf);
      const line = $('typing');
      line.textContent = names.length === 0 ? ''
        : names.length === 1 ? names[0] + ' is typing…'
          : names.length === 2 ? names[0] + ' and ' + names[1] + ' are typing…'
            : 'Several people are typing…';
      line.hidden = names.length === 0;
    }

    /** Someone else is typing (or stopped): shown for a few seconds after their last signal. */
    function heard(event) {
      if (event.user === me.user) return;
      clearTimeout(typists.get(event.user));
      if (event.typing === false) typists.delete(event.user);
      else typists.set(event.user, setTimeout(() => stopped(event.user), TYPING_SHOWN_MS));
      render();
    }

    function stopped(user) {
      if (!typists.has(user)) return;
      clearTimeout(typists.get(user));
      typists.delete(user);
      render();
    }

    /** Tells the room at most every few seconds while the user types. Never stored. */
    function typed() {
      const now = Date.now();
      if (!input.value.trim() || now - lastSignal < TYPING_EVERY_MS || phase !== 'in' || !bus || !bus.isOpen()) return;
      lastSignal = now;
      try { bus.bus().send(address, { typing: true }); } catch (e) { /* closed just now: nothing to tell */ }
    }

    function clear() {
      typists.forEach(timer => clearTimeout(timer));
      typists.clear();
      render();
    }

    return { heard, stopped, typed, sent: () => { lastSignal = 0; }, clear };
  })();

  input.addEventListener('input', typing.typed);

  // ---- who is here ------------------------------------------------------------------------

  function setCount(count) {
    $('count').textContent = count;
  }

  function showParticipants(people) {
    participants = people;
    const ul = $('participants');
    const to = $('chat-to');
    const chosen = to.value;
    $('people-count').textContent = people.length;
    ul.replaceChildren(...people.map(p => {
      const li = el('li', p.user === me.user ? 'mine' : null);
      li.dataset.user = p.user;
      const name = el('span', 'name', nameOf(p.user) + (p.user === me.user ? ' (you)' : '') + (p.user === owner ? ' ★' : ''));
      name.dataset.color = p.color;
      li.append(chip(p.color), name);
      if (owner === me.user && p.user !== me.user) {
        li.append(' ', ownerButton('make owner', 'make-owner', () => ownerAction('owner', p.user)),
          ' ', ownerButton('remove', 'kick', () => ownerAction('kick', p.user)));
      }
      return li;
    }));
    ul.querySelectorAll('[data-color]').forEach(name => paintText(name, name.dataset.color));
    to.replaceChildren(el('option', null, 'Everyone'), ...people.filter(p => p.user !== me.user).map(p => {
      const option = el('option', null, 'Whisper to ' + nameOf(p.user));
      option.value = p.user;
      return option;
    }));
    to.firstChild.value = '';
    if ([...to.options].some(o => o.value === chosen)) to.value = chosen;
  }

  function ownerButton(label, className, run) {
    const b = el('button', className, label);
    b.type = 'button';
    b.addEventListener('click', run);
    return b;
  }

  async function ownerAction(action, user) {
    const result = await api('POST', roomPath + '/' + action, { user });
    if (result.status !== 200) showError((result.body && result.body.error) || 'Not allowed');
  }

  function setOwner(user) {
    owner = user;
    $('delete-room').hidden = owner !== me.user;
  }

  async function refreshParticipants() {
    const result = await api('GET', roomPath);
    if (result.status === 200 && phase !== 'ended') {
      showParticipants(result.body.participants || []);
      setCount((result.body.participants || []).length);
    }
  }

  $('people-toggle').addEventListener('click', () => {
    const open = document.body.classList.toggle('show-people');
    $('people-toggle').setAttribute('aria-expanded', String(open));
  });

  // ---- endings: each one says what happened and what the user can do next -----------------

  function end(message, actions) {
    setPhase('ended');
    if (bus) bus.close();
    else {
      $('transport').textContent = 'not connected';
      $('transport').dataset.state = 'ended';
    }
    typing.clear();
    showParticipants([]);
    setCount('–');
    $('delete-room').hidden = true;
    outbox.end(message);
    showError(message, actions || [BACK_TO_ROOMS]);
  }

  // ---- the room's events ------------------------------------------------------------------

  function onRoomEvent(err, msg) {
    if (err) {
      if (err.failureType === 'access_denied' && !reentered && !/removed/i.test(err.message || '')) {
        // the session is new to the hub (it lost it): enter again, then register again
        reentered = true;
        enter().then(entered => {
          const live = bus && bus.bus();
          if (!entered || !live || live.state !== EventBus.OPEN) return;
          live.unregisterHandler(address, onRoomEvent); // forget the refused registration, then ask again
          live.registerHandler(address, { since: String(lastSeq) }, onRoomEvent);
        });
        return;
      }
      if (err.failureCode === 409) end('The room is full.', [{ label: 'Try again', run: () => location.reload() }, BACK_TO_ROOMS]);
      else if (err.failureCode === 404) end('This room no longer exists.');
      else if (/removed/i.test(err.message || '')) end('The owner removed you from this room.');
      else showError(err.message || 'Connection problem');
      return;
    }
    const event = msg.body;
    // a stored event: the room goes on, so a passing error (a refused owner action, say) is over
    if (event.seq && phase === 'in') showError(null);
    switch (event.type) {
      case 'welcome':
        reentered = false;
        setCount(event.count);
        showParticipants(event.participants || []);
        setPhase('in');
        bus.ready();
        showError(null); // whatever went wrong before, the page is in the room now
        outbox.flush();
        break;
      case 'typing':
        typing.heard(event);
        break;
      case 'removed':
        end('The owner deleted this room.');
        break;
      case 'owner':
        add([event]);
        setOwner(event.owner);
        refreshParticipants();
        break;
      case 'kick':
        add([event]);
        if (event.user === me.user) end('The owner removed you from this room.');
        else refreshParticipants();
        break;
      case 'join':
      case 'exit':
        add([event]);
        if (typeof event.count === 'number') setCount(event.count);
        refreshParticipants();
        break;
      default:
        if (event.seq || event.type === 'whisper') add([event]);
    }
  }

  function onConnection(state) {
    if (state === 'reconnecting' && (phase === 'in' || phase === 'joining')) {
      setPhase(phase === 'in' ? 'reconnecting' : phase);
      typing.clear();
      showError('Lost the connection to the hub. Reconnecting… You can keep writing: your messages are sent when it is back.',
        [{ label: 'Try now', run: () => bus.retryNow() }]);
    }
  }

  // ---- entering ---------------------------------------------------------------------------

  /** Shows what the room is without being in it: for the password prompt and the endings. */
  async function describeRoom() {
    const info = await api('GET', roomPath);
    if (info.status !== 200) return null;
    room = info.body;
    showRoom(room);
    setCount(room.count);
    return room;
  }

  function showRoom(r) {
    document.title = 'roombus — ' + r.title;
    $('room-title').textContent = (r.locked ? '🔒 ' : '') + r.title;
    $('max').textContent = r.max;
  }

  /**
   * Enters over HTTP (password, seat): the room, who is here and the newest history; null when the
   * page shows why not (password prompt, or an ending).
   */
  async function enter(password) {
    const result = await api('POST', roomPath + '/enter', password === undefined ? {} : { password });
    const reason = (result.body && result.body.error) || 'Could not enter the room';
    if (result.status === 200) {
      $('password-form').hidden = true;
      showError(null);
      return result.body;
    }
    if (result.status === 0) {
      setPhase('loading');
      showError("Can't reach the hub. Trying again in a few seconds…", [{ label: 'Try now', run: () => retry() }]);
      let timer = null;
      const retry = () => { clearTimeout(timer); enter(password).then(entered => { if (entered) start(entered); }); };
      timer = setTimeout(retry, 5000);
      return null;
    }
    if (result.status === 403 && /password/i.test(reason)) {
      askPassword(password === undefined ? null : reason);
      return null;
    }
    if (result.status === 409) {
      const r = await describeRoom();
      end('The room is full' + (r ? ' (' + r.count + '/' + r.max + ' people)' : '') + '. Try again later.',
        [{ label: 'Try again', run: () => location.reload() }, BACK_TO_ROOMS]);
      return null;
    }
    if (result.status === 404) {
      end('There is no such room: it may have been deleted.');
      return null;
    }
    if (result.status === 403) await describeRoom();
    end(reason);
    return null;
  }

  async function askPassword(problem) {
    setPhase('password');
    $('transport').textContent = 'not connected'; // until the password lets the page in
    $('transport').dataset.state = 'idle';
    await describeRoom();
    $('password-form').hidden = false;
    showError(problem);
    $('password-input').focus();
  }

  $('password-form').addEventListener('submit', async e => {
    e.preventDefault();
    const passwordInput = $('password-input');
    const entered = await enter(passwordInput.value);
    passwordInput.value = '';
    if (entered) start(entered);
  });

  function start(entered) {
    room = entered.room;
    showRoom(room);
    setCount(room.count);
    setOwner(room.owner);
    showParticipants(entered.participants || []);
    add(entered.chats);
    $('older').hidden = !(firstSeq > 1);
    scroller.scrollTop = scroller.scrollHeight;
    setPhase('joining');
    bus = connectBus(b => {
      if (phase === 'ended') return;
      // (re)joining: the server first sends what was stored after lastSeq, then live messages
      b.registerHandler(address, { since: String(lastSeq) }, onRoomEvent);
    }, onConnection, { untilReady: true });
  }

  $('leave-room').addEventListener('click', () => {
    const live = bus && bus.bus();
    // unregistering is leaving on purpose: the others see it at once (a closed page keeps its place a while)
    if (live && live.state === EventBus.OPEN) live.unregisterHandler(address, onRoomEvent);
    setPhase('ended');
    if (bus) bus.close();
    location.href = './';
  });

  $('delete-room').addEventListener('click', async () => {
    const result = await api('DELETE', roomPath);
    if (result.status === 204) location.href = './';
    else showError((result.body && result.body.error) || 'Could not delete the room');
  });

  // ---- GIFs: chosen, previewed, then sent -------------------------------------------------

  const MAX_GIF = 5 * 1024 * 1024;
  let chosenGif = null;
  let previewUrl = null;

  function closeGifPreview() {
    chosenGif = null;
    $('gif-preview').hidden = true;
    $('gif-status').textContent = '';
    $('gif-input').value = '';
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
  }

  $('gif-input').addEventListener('change', e => {
    const file = e.target.files[0];
    if (!file) return;
    closeGifPreview();
    chosenGif = file;
    previewUrl = URL.createObjectURL(file);
    $('gif-preview-image').src = previewUrl;
    $('gif-preview-info').textContent = file.name + ' · ' + Math.ceil(file.size / 1024) + ' KB';
    const problem = file.size > MAX_GIF ? 'A GIF is at most 5 MiB' : (file.type && file.type !== 'image/gif') ? 'That file is not a GIF' : null;
    $('gif-status').textContent = problem || '';
    $('gif-send').disabled = !!problem;
    $('gif-preview').hidden = false;
  });

  $('gif-cancel').addEventListener('click', closeGifPreview);

  $('gif-send').addEventListener('click', async () => {
    if (!chosenGif) return;
    const sendButton = $('gif-send');
    sendButton.disabled = true;
    $('gif-status').textContent = 'Sending…';
    const form = new FormData();
    form.append('gif', chosenGif, chosenGif.name);
    const result = await api('POST', roomPath + '/gifs', form);
    sendButton.disabled = false;
    if (result.status === 201) {
      add([result.body]);
      closeGifPreview();
    } else {
      $('gif-status').textContent = 'Not sent: ' + ((result.body && result.body.error) || 'the hub refused it') + '. Try again, or cancel.';
    }
  });

  // ---- go ---------------------------------------------------------------------------------

  setInterval(refreshTimes, 30000);
  const who = await api('GET', 'api/me');
  if (who.status !== 200) {
    showError("Can't reach the hub. Reload the page to try again.", [{ label: 'Reload', run: () => location.reload() }]);
    return;
  }
  me = who.body;
  paintBadge($('me-badge'), me.user, me.color);
  if (!roomId) { end('No room given.'); return; }
  outbox.load();
  const entered = await enter();
  if (entered) start(entered);
})();

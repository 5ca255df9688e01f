/* Shared helpers of the roombus pages. User text is only ever put into the page with textContent. */
'use strict';

const roombus = (() => {
  const params = new URLSearchParams(location.search);

  /**
   * Calls the JSON API with a path relative to the page, so the hub may live under any prefix. A hub
   * that cannot be reached answers status 0, with the reason in body.error, instead of throwing.
   */
  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      return { status: 0, body: { error: "Can't reach the hub" } };
    }
    let json = null;
    if (response.status !== 204) {
      try { json = await response.json(); } catch (e) { json = null; }
    }
    return { status: response.status, body: json };
  }

  /** Shows a message in the page's #error banner (none: hides it), with optional action buttons or links. */
  function showError(message, actions) {
    const box = document.getElementById('error');
    const buttons = document.getElementById('error-actions');
    if (buttons) buttons.replaceChildren();
    if (!message) { box.hidden = true; box.textContent = ''; if (buttons) buttons.hidden = true; return; }
    box.textContent = message;
    box.hidden = false;
    if (!buttons || !actions || !actions.length) return;
    buttons.hidden = false;
    buttons.append(...actions.map(action => {
      if (action.href) {
        const link = el('a', 'button', action.label);
        link.href = action.href;
        return link;
      }
      const button = el('button', null, action.label);
      button.type = 'button';
      button.addEventListener('click', action.run);
      return button;
    }));
  }

  // ---- who is who: a readable name and a readable colour for every user --------------------

  const ADJECTIVES = ['Amber', 'Bold', 'Brave', 'Breezy', 'Bright', 'Brisk', 'Calm', 'Cheery', 'Clever', 'Cosy',
    'Curious', 'Dapper', 'Daring', 'Dreamy', 'Eager', 'Fancy', 'Fearless', 'Fluffy', 'Gentle', 'Giddy', 'Glad',
    'Golden', 'Happy', 'Hasty', 'Humble', 'Jolly', 'Keen', 'Kind', 'Lively', 'Lucky', 'Merry', 'Mighty', 'Misty',
    'Nimble', 'Noble', 'Patient', 'Peppy', 'Perky', 'Plucky', 'Polite', 'Proud', 'Quick', 'Quiet', 'Rapid',
    'Rosy', 'Rustic', 'Shy', 'Silly', 'Sleepy', 'Sly', 'Snappy', 'Sneaky', 'Sparky', 'Spry', 'Steady', 'Sunny',
    'Swift', 'Tidy', 'Tiny', 'Upbeat', 'Witty', 'Wise', 'Zany', 'Zesty'];
  const ANIMALS = ['Albatross', 'Alpaca', 'Badger', 'Bat', 'Bear', 'Beaver', 'Bison', 'Camel', 'Cat', 'Cheetah',
    'Cobra', 'Crab', 'Crane', 'Crow', 'Deer', 'Dingo', 'Dolphin', 'Duck', 'Eagle', 'Eel', 'Elk', 'Falcon',
    'Ferret', 'Finch', 'Fox', 'Frog', 'Gecko', 'Goose', 'Hare', 'Hawk', 'Hedgehog', 'Heron', 'Ibis', 'Koala',
    'Lemur', 'Lion', 'Llama', 'Lynx', 'Magpie', 'Marmot', 'Mole', 'Moose', 'Newt', 'Otter', 'Owl', 'Panda',
    'Parrot', 'Pelican', 'Penguin', 'Puffin', 'Quail', 'Rabbit', 'Raven', 'Robin', 'Seal', 'Sloth', 'Squid',
    'Stork', 'Swan', 'Tiger', 'Toad', 'Turtle', 'Walrus', 'Wombat'];

  /** A short friendly name for a user id (16 hex digits), the same on every page and for everyone. */
  function nameOf(user) {
    if (!user || !/^[0-9a-f]{8}/.test(user)) return 'Someone';
    const a = parseInt(user.slice(0, 4), 16) % ADJECTIVES.length;
    const b = parseInt(user.slice(4, 8), 16) % ANIMALS.length;
    return ADJECTIVES[a] + ' ' + ANIMALS[b];
  }

  function rgbOf(hex) {
    const m = /^#?([0-9a-f]{6})$/i.exec(hex || '');
    if (!m) return [128, 128, 128];
    const n = parseInt(m[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  function hexOf(rgb) {
    return '#' + rgb.map(c => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, '0')).join('');
  }

  /** WCAG relative luminance of a colour. */
  function luminance(hex) {
    const [r, g, b] = rgbOf(hex).map(c => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  /** WCAG contrast ratio of two colours, 1 to 21. */
  function contrast(a, b) {
    const la = luminance(a);
    const lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /**
   * The colour itself when it is readable as text on the background (WCAG AA: a contrast of at least
   * 4.5), else the same hue darkened just enough to be.
   */
  function readableColor(hex, background = '#ffffff', ratio = 4.5) {
    let rgb = rgbOf(hex);
    for (let i = 0; i < 40 && contrast(hexOf(rgb), background) < ratio; i++) rgb = rgb.map(c => c * 0.92);
    return hexOf(rgb);
  }

  /** The colour behind an element: its own background, or the first one of its ancestors that has one. */
  function backgroundOf(node) {
    for (let e = node; e && e.nodeType === 1; e = e.parentElement) {
      const m = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(getComputedStyle(e).backgroundColor);
      if (m && (m[4] === undefined || Number(m[4]) > 0)) return hexOf([Number(m[1]), Number(m[2]), Number(m[3])]);
    }
    return '#ffffff';
  }

  /** Colours the text of an element (in the page already) with a user's colour, made readable on what is behind it. */
  function paintText(node, color) {
    node.style.color = readableColor(color, backgroundOf(node));
  }

  /** A small dot of the user's own colour, next to their name. */
  function chip(color) {
    const dot = el('span', 'chip');
    dot.style.background = color;
    dot.setAttribute('aria-hidden', 'true');
    return dot;
  }

  /** A user as the pages show them: their colour chip and their name, in a readable shade of the colour. */
  function paintBadge(node, user, color) {
    node.replaceChildren(chip(color), el('span', 'name', nameOf(user)));
    node.dataset.user = user;
    node.dataset.color = color;
    node.title = color + ' · user ' + user;
    node.style.color = readableColor(color, backgroundOf(node));
  }

  /** "just now", "5 min ago", "3 h ago", or the date: for timestamps whose exact time is in their title. */
  function timeAgo(iso, now = Date.now()) {
    const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
    if (seconds < 45) return 'just now';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
    return new Date(iso).toLocaleDateString();
  }

  /** A <time> element: relative, with the exact local time on hover. */
  function timeNode(iso) {
    const node = el('time', null, timeAgo(iso));
    node.dateTime = iso;
    node.title = new Date(iso).toLocaleString();
    return node;
  }

  /** Brings every <time datetime> on the page up to date ("just now" becomes "2 min ago"). */
  function refreshTimes() {
    const now = Date.now();
    document.querySelectorAll('time[datetime]').forEach(t => { t.textContent = timeAgo(t.dateTime, now); });
  }

  // ---- the event bus ----------------------------------------------------------------------

  /** The SockJS transports the page is told to use (?transports=xhr-polling,xhr-streaming), if any. */
  function transports() {
    const value = params.get('transports');
    return value ? value.split(',').map(s => s.trim()).filter(Boolean) : undefined;
  }

  /** Query string to carry over to the next page (transport choice, preferred nodes). */
  function carriedQuery() {
    const keep = new URLSearchParams();
    for (const name of ['transports', 'nodes']) {
      if (params.get(name)) keep.set(name, params.get(name));
    }
    const text = keep.toString();
    return text ? '&' + text : '';
  }

  /**
   * The hub nodes to connect to, as base URLs, from the list the hub itself gives (GET api/nodes: any
   * node serves any room, sessions are shared): this page's own node first, then the others. The page
   * never connects to a URL from its own address: ?nodes=http://host1:8080/,http://host2:8080/ only
   * puts nodes of the hub's list first (to spread pages over nodes); any other entry is ignored, so a
   * link cannot send a visitor's chat elsewhere. Resolves to the own node alone if the list is unknown.
   */
  async function nodeBases() {
    const own = new URL('.', location.href).href;
    const listed = [];
    const result = await api('GET', 'api/nodes');
    if (result.status === 200 && result.body && Array.isArray(result.body.nodes)) {
      for (const node of result.body.nodes) {
        if (typeof node !== 'string' || node === result.body.self) continue;
        let base;
        try { base = new URL(node.endsWith('/') ? node : node + '/'); } catch (e) { continue; }
        if (/^https?:$/.test(base.protocol) && base.origin !== location.origin && !listed.includes(base.href)) {
          listed.push(base.href);
        }
      }
    }
    const all = [own, ...listed];
    const originOf = text => { try { return new URL(text).origin; } catch (e) { return null; } };
    const preferred = (params.get('nodes') || '').split(',').map(s => originOf(s.trim())).filter(Boolean);
    const first = [];
    for (const origin of preferred) {
      const match = all.find(base => new URL(base).origin === origin);
      if (match && !first.includes(match)) first.push(match);
    }
    return [...first, ...all.filter(base => !first.includes(base))];
  }

  /**
   * Opens the event bus over SockJS and keeps it open: when the connection drops, it reconnects with
   * exponential back-off (0.5 s doubling up to 4 s, randomised), trying the next node each time, and
   * calls onOpen with the new bus. onState (optional) hears 'open' and 'reconnecting'. When SockJS had
   * to fall back to streaming or polling (a proxy refused the websocket upgrade), it probes for a
   * websocket every ?upgrade= ms (default 30 s) and moves up as soon as one opens: the new connection
   * registers first (catching up by seq), then the old one is closed, so nothing is missed and the page
   * drops what it already has. Returns a handle whose bus() is the current connection; close() ends it
   * for good (the label then says 'closed'). With options.untilReady, the label shows the connection as
   * open only once the page calls ready() (the room page: once it is in the room).
   */
  function connectBus(onOpen, onState, options = {}) {
    let nodes = [new URL('.', location.href).href];
    const label = document.getElementById('transport');
    const forced = transports();
    const upgradeEvery = Number(params.get('upgrade')) || 30000;
    const tell = state => { if (onState) onState(state); };
    let attempt = 0;
    let next = 0; // the first node listed first; give pages lists in different orders to spread them
    let current = null;
    let stopped = false;
    let probeTimer = null;
    let retryTimer = null;

    function show(bus, url) {
      const conn = bus.sockJSConn;
      label.textContent = (conn && conn.transport) || 'open';
      label.dataset.state = options.untilReady ? 'joining' : 'open';
      label.title = url;
    }

    function lost() {
      label.textContent = stopped ? 'closed' : 'reconnecting…';
      label.dataset.state = stopped ? 'ended' : 'closed';
      if (!stopped) tell('reconnecting');
    }

    function open(url, only) {
      const options = { vertxbus_ping_interval: 5000 };
      const chosen = only || forced;
      if (chosen) options.transports = chosen;
      const bus = new EventBus(url, options);
      bus.onerror = err => {
        // the hub says why it is about to close: 4001 the node is going away, 4002 an administrator
        if (err && !err.address && err.failureCode >= 4000 && err.failureCode < 5000) bus.closeCode = err.failureCode;
        else console.warn('event bus error', err);
      };
      return bus;
    }

    function connect() {
      retryTimer = null;
      if (stopped) return;
      const url = new URL('eventbus', nodes[next % nodes.length]).href;
      next++;
      const bus = open(url);
      current = bus;
      bus.onopen = () => {
        attempt = 0;
        show(bus, url);
        tell('open');
        onOpen(bus);
        scheduleUpgrade(bus, url);
      };
      bus.onclose = e => {
        if (bus !== current) return; // replaced by an upgrade
        clearTimeout(probeTimer);
        const code = bus.closeCode || (e && e.code);
        if (code === 4002) {
          stopped = true;
          label.textContent = 'disconnected by an administrator';
          label.dataset.state = 'ended';
          return;
        }
        lost();
        if (stopped) return;
        // 4001: the node is going away: straight to the next node (registering again catches up by seq)
        const delay = code === 4001 ? 100 + Math.random() * 200
          : Math.min(4000, 500 * Math.pow(2, attempt++)) * (0.5 + Math.random());
        retryTimer = setTimeout(connect, delay);
      };
    }

    function scheduleUpgrade(bus, url) {
      clearTimeout(probeTimer);
      if (forced || !bus.sockJSConn || bus.sockJSConn.transport === 'websocket' || !('WebSocket' in window)) return;
      probeTimer = setTimeout(() => probe(bus, url), upgradeEvery);
    }

    function probe(bus, url) {
      if (stopped || bus !== current) return;
      let settled = false;
      const raw = new WebSocket(url.replace(/^http/, 'ws') + '/websocket');
      const retry = () => { if (!settled) { settled = true; scheduleUpgrade(bus, url); } };
      raw.onerror = retry;
      raw.onclose = retry;
      raw.onopen = () => {
        settled = true;
        raw.close();
        const upgraded = open(url, ['websocket']);
        upgraded.onopen = () => {
          current = upgraded;
          show(upgraded, url);
          onOpen(upgraded);
          // the new connection is registered and catching up; the old one can go
          setTimeout(() => bus.close(), 1000);
        };
        upgraded.onclose = () => {
          if (upgraded !== current) { scheduleUpgrade(bus, url); return; }
          lost();
          if (!stopped) retryTimer = setTimeout(connect, 500);
        };
      };
    }

    nodeBases().then(list => { nodes = list; connect(); });
    return {
      bus: () => current,
      isOpen: () => !!current && current.state === EventBus.OPEN,
      /** The page is ready on this connection (options.untilReady): the label says open. */
      ready: () => { if (!stopped && current && current.state === EventBus.OPEN) label.dataset.state = 'open'; },
      /** Tries again now instead of waiting for the next attempt. */
      retryNow: () => {
        if (stopped || !retryTimer) return;
        clearTimeout(retryTimer);
        attempt = 0;
        connect();
      },
      close: () => {
        stopped = true;
        clearTimeout(probeTimer);
        clearTimeout(retryTimer);
        if (current && current.state !== EventBus.CLOSED) current.close();
        else lost();
      }
    };
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  return {
    api, showError, paintBadge, connectBus, carriedQuery, el, params,
    nameOf, readableColor, contrast, paintText, chip, timeAgo, timeNode, refreshTimes
  };
})();

/* Shared helpers of the roombus pages. User text is only ever put into the page with textContent. */
'use strict';

const roombus = (() => {
  const params = new URLSearchParams(location.search);

  /** Calls the JSON API with a path relative to the page, so the hub may live under any prefix. */
  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let json = null;
    if (response.status !== 204) {
      try { json = await response.json(); } catch (e) { json = null; }
    }
    return { status: response.status, body: json };
  }

  function showError(message) {
    const el = document.getElementById('error');
    if (!message) { el.hidden = true; el.textContent = ''; return; }
    el.textContent = message;
    el.hidden = false;
  }

  function paintBadge(el, user, color) {
    el.textContent = color;
    el.title = 'user ' + user;
    el.style.background = color;
  }

  /** The SockJS transports the page is told to use (?transports=xhr-polling,xhr-streaming), if any. */
  function transports() {
    const value = params.get('transports');
    return value ? value.split(',').map(s => s.trim()).filter(Boolean) : undefined;
  }

  /** Query string to carry over to the next page (transport choice, node list). */
  function carriedQuery() {
    const keep = new URLSearchParams();
    for (const name of ['transports', 'nodes']) {
      if (params.get(name)) keep.set(name, params.get(name));
    }
    const text = keep.toString();
    return text ? '&' + text : '';
  }

  /**
   * The hub nodes to connect to: this page's own origin, or the list given as
   * ?nodes=http://host1:8080/,http://host2:8080/ (any node serves any room; sessions are shared).
   */
  function nodeUrls() {
    const given = (params.get('nodes') || '').split(',').map(s => s.trim()).filter(Boolean);
    const bases = given.length ? given : [new URL('.', location.href).href];
    return bases.map(base => new URL('eventbus', base.endsWith('/') ? base : base + '/').href);
  }

  /**
   * Opens the event bus over SockJS and keeps it open: when the connection drops, it reconnects with
   * exponential back-off (0.5 s doubling up to 8 s, randomised), trying the next node each time, and
   * calls onOpen with the new bus. When SockJS had to fall back to streaming or polling (a proxy refused
   * the websocket upgrade), it probes for a websocket every ?upgrade= ms (default 30 s) and moves up
   * as soon as one opens: the new connection registers first (catching up by seq), then the old one is
   * closed, so nothing is missed and the page drops what it already has. Returns a handle whose bus()
   * is the current connection.
   */
  function connectBus(onOpen) {
    const urls = nodeUrls();
    const label = document.getElementById('transport');
    const forced = transports();
    const upgradeEvery = Number(params.get('upgrade')) || 30000;
    let attempt = 0;
    let next = 0; // the first node listed first; give pages lists in different orders to spread them
    let current = null;
    let stopped = false;
    let probeTimer = null;

    function show(bus, url) {
      const conn = bus.sockJSConn;
      label.textContent = (conn && conn.transport) || 'open';
      label.dataset.state = 'open';
      label.title = url;
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
      const url = urls[next % urls.length];
      next++;
      const bus = open(url);
      current = bus;
      bus.onopen = () => {
        attempt = 0;
        show(bus, url);
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
          label.dataset.state = 'closed';
          return;
        }
        label.textContent = 'reconnecting…';
        label.dataset.state = 'closed';
        if (stopped) return;
        // 4001: the node is going away: straight to the next node (registering again catches up by seq)
        const delay = code === 4001 ? 100 + Math.random() * 200
          : Math.min(8000, 500 * Math.pow(2, attempt++)) * (0.5 + Math.random());
        setTimeout(connect, delay);
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
          label.textContent = 'reconnecting…';
          label.dataset.state = 'closed';
          if (!stopped) setTimeout(connect, 500);
        };
      };
    }

    connect();
    return {
      bus: () => current,
      close: () => { stopped = true; clearTimeout(probeTimer); if (current) current.close(); }
    };
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  return { api, showError, paintBadge, connectBus, carriedQuery, el, params };
})();

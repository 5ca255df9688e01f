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

  /** Query string to carry over to the next page (transport choice). */
  function carriedQuery() {
    const keep = new URLSearchParams();
    if (params.get('transports')) keep.set('transports', params.get('transports'));
    const text = keep.toString();
    return text ? '&' + text : '';
  }

  /**
   * Opens the event bus over SockJS and keeps it open: when the connection drops, it reconnects with
   * exponential back-off (1 s doubling up to 10 s, randomised) and calls onOpen again.
   */
  function connectBus(onOpen) {
    const url = new URL('eventbus', location.href).href;
    const options = { vertxbus_reconnect_delay_min: 1000, vertxbus_reconnect_delay_max: 10000 };
    const chosen = transports();
    if (chosen) options.transports = chosen;
    const bus = new EventBus(url, options);
    bus.enableReconnect(true);
    const label = document.getElementById('transport');
    bus.onopen = () => {
      const conn = bus.sockJSConn;
      label.textContent = (conn && conn.transport) || 'open';
      label.dataset.state = 'open';
      onOpen(bus);
    };
    bus.onclose = () => {
      label.textContent = 'reconnecting…';
      label.dataset.state = 'closed';
    };
    bus.onerror = err => console.warn('event bus error', err);
    return bus;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  return { api, showError, paintBadge, connectBus, carriedQuery, el, params };
})();
